/** What the studio receives from one encoder, read from nginx-rtmp's `rtmp_stat` XML. */
export interface StreamStats {
  width: number | null;
  height: number | null;
  frameRate: number | null;
  /** Incoming bits per second, audio and video. */
  bitrate: number | null;
  videoCodec: string | null;
}

const tag = (xml: string, name: string): string | null => {
  const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
  return m ? m[1] : null;
};
const num = (value: string | null): number | null =>
  value === null || value === "" || Number.isNaN(Number(value)) ? null : Number(value);

/** The publishing stream named `name` in a `rtmp_stat all` document, or null when none. */
export function parseStreamStats(xml: string, name: string): StreamStats | null {
  for (const [, stream] of xml.matchAll(/<stream>([\s\S]*?)<\/stream>/g)) {
    if (tag(stream, "name") !== name || !stream.includes("<publishing/>")) continue;
    const video = /<video>([\s\S]*?)<\/video>/.exec(/<meta>([\s\S]*?)<\/meta>/.exec(stream)?.[1] ?? "")?.[1] ?? "";
    return {
      width: num(tag(video, "width")),
      height: num(tag(video, "height")),
      frameRate: num(tag(video, "frame_rate")),
      bitrate: num(tag(stream, "bw_in")),
      videoCodec: tag(video, "codec"),
    };
  }
  return null;
}

/** What the go-live page shows: the encoder's picture, and how often it sends a keyframe. */
export interface ReceivedStats extends StreamStats {
  /** Seconds between keyframes, as the live playlist's fragments show it; null before there are enough. */
  keyframeSeconds: number | null;
}

/**
 * The encoder's keyframe interval, read from the live playlist nginx-rtmp writes: it cuts a
 * fragment at the first keyframe after `hls_fragment` (1 s), so from 1 s up the fragments are as
 * long as the encoder's keyframe interval (the median of the last 6, after the last
 * discontinuity; shorter intervals show as about 1 s, which is what merchants are asked to set).
 */
export function keyframeSeconds(playlist: string): number | null {
  const afterBreak = playlist.split("#EXT-X-DISCONTINUITY").pop() ?? "";
  const durations = [...afterBreak.matchAll(/#EXTINF:([\d.]+)/g)].map((m) => Number(m[1])).slice(-6);
  if (durations.length < 3) return null;
  const sorted = [...durations].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)] * 10) / 10;
}
