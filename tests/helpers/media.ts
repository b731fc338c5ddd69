import { spawnSync } from "node:child_process";
import fs from "node:fs";

/**
 * ffmpeg's arguments for a test pattern with a 440 Hz tone, pushed to `url` in real time for
 * `seconds`, encoded as the go-live page tells merchants to (H.264 with a keyframe every second,
 * AAC, FLV over RTMP). `size` is the picture's size, `bitrate` the video's, `keyframeSeconds` the
 * keyframe interval (a phone app's 2 s, say), when wanted.
 */
export function testPatternArgs(
  url: string,
  seconds: number,
  options: { size?: string; bitrate?: string; keyframeSeconds?: number } = {},
) {
  const gop = String(25 * (options.keyframeSeconds ?? 1));
  return [
    ...["-hide_banner", "-loglevel", "error"],
    ...["-re", "-f", "lavfi", "-i", `testsrc=size=${options.size ?? "640x360"}:rate=25`],
    ...["-re", "-f", "lavfi", "-i", "sine=frequency=440"],
    ...["-t", String(seconds)],
    ...["-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-pix_fmt", "yuv420p"],
    ...(options.bitrate ? ["-b:v", options.bitrate] : []),
    ...["-g", gop, "-keyint_min", gop, "-sc_threshold", "0"],
    ...["-c:a", "aac", "-f", "flv", url],
  ];
}

const has = (bin: string) => spawnSync("sh", ["-c", `command -v ${bin}`]).status === 0;

/**
 * Whether ffmpeg and nginx with its RTMP module (and any `more` commands, e.g. ffprobe) are here
 * for the journey `name` ("The studio journey"): without them it is skipped with a warning, except
 * under CI, where nothing is skipped.
 */
export function haveMediaTools(name: string, more: string[] = []) {
  const present =
    has("ffmpeg") &&
    more.every(has) &&
    fs.existsSync("/usr/sbin/nginx") &&
    fs.existsSync("/usr/lib/nginx/modules/ngx_rtmp_module.so");
  if (!present) {
    if (process.env.CI)
      throw new Error(`${name} needs ffmpeg, nginx and libnginx-mod-rtmp; under CI nothing is skipped.`);
    console.warn(
      `Skipping ${name[0].toLowerCase()}${name.slice(1)}: ffmpeg or nginx with libnginx-mod-rtmp is not installed.`,
    );
  }
  return present;
}
