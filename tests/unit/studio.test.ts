import { describe, expect, it } from "vitest";
import { can } from "~/domain/accounts/permissions";
import type { User } from "~/domain/accounts/actor";
import {
  currentStep,
  districtDate,
  districtInstant,
  districtMinute,
  parseClock,
  streamState,
  weekStartOf,
} from "~/domain/studio/slots";
import { renderIngestConfig } from "../../livestream/ingest/config";
import { keyframeSeconds, parseStreamStats } from "../../livestream/ingest/stats";

describe("the studio's clock", () => {
  it("reads district dates and times in UTC+8", () => {
    const at = districtInstant("2026-01-18", 10 * 60 + 30);
    expect(at.toISOString()).toBe("2026-01-18T02:30:00.000Z");
    expect(districtDate(new Date("2026-01-18T16:30:00Z"))).toBe("2026-01-19");
    expect(districtMinute(new Date("2026-01-18T16:30:00Z"))).toBe(30);
    expect(districtInstant("2026-01-18", 24 * 60).toISOString()).toBe("2026-01-18T16:00:00.000Z");
    expect(parseClock("09:30")).toBe(570);
    expect(parseClock("9:30")).toBeNaN();
    expect(parseClock("24:30")).toBeNaN();
  });

  it("starts weeks on Monday, district time, and steps in half hours", () => {
    // Sunday 2026-01-18 23:59 in the district still belongs to the week of Monday the 12th.
    expect(weekStartOf(districtInstant("2026-01-18", 23 * 60 + 59)).toISOString()).toBe(
      districtInstant("2026-01-12", 0).toISOString(),
    );
    expect(weekStartOf(districtInstant("2026-01-19", 0)).toISOString()).toBe(
      districtInstant("2026-01-19", 0).toISOString(),
    );
    expect(currentStep(new Date("2026-01-18T02:44:59Z")).toISOString()).toBe("2026-01-18T02:30:00.000Z");
  });

  it("names a stream's state", () => {
    const now = new Date("2026-01-18T10:00:00Z");
    const base = { status: "confirmed", endsAt: "2026-01-18T11:00:00Z", liveSince: null, liveEndedAt: null };
    expect(streamState(base, now)).toBe("upcoming");
    expect(streamState({ ...base, liveSince: "2026-01-18T09:55:00Z" }, now)).toBe("live");
    expect(streamState({ ...base, liveSince: "2026-01-18T09:55:00Z", liveEndedAt: "2026-01-18T09:59:00Z" }, now)).toBe(
      "ended",
    );
    expect(streamState({ ...base, endsAt: "2026-01-18T09:00:00Z" }, now)).toBe("ended");
    // A stream whose end was never reported is not live forever.
    expect(streamState({ ...base, endsAt: "2026-01-18T09:00:00Z", liveSince: "2026-01-18T08:00:00Z" }, now)).toBe(
      "ended",
    );
    expect(streamState({ ...base, status: "cancelled" }, now)).toBe("cancelled");
  });
});

describe("studio permissions", () => {
  const user = (over: Partial<User>): User => ({
    userId: "u",
    displayName: "u",
    phone: "",
    locale: "zh-CN",
    roles: [],
    memberships: [],
    ...over,
  });
  it("lets a business's owner and staff book and see keys, officers manage, staff set quotas", () => {
    const owner = user({ memberships: [{ businessId: 7, role: "owner" }] });
    const staff = user({ memberships: [{ businessId: 7, role: "staff" }] });
    const officer = user({ roles: ["moderator"] });
    const admin = user({ roles: ["admin"] });
    for (const who of [owner, staff]) {
      expect(can(who, { action: "studio.book", businessId: 7 })).toBe(true);
      expect(can(who, { action: "studio.streamKey", businessId: 7 })).toBe(true);
      expect(can(who, { action: "studio.book", businessId: 8 })).toBe(false);
      expect(can(who, { action: "studio.manage" })).toBe(false);
    }
    expect(can(officer, { action: "studio.manage" })).toBe(true);
    expect(can(officer, { action: "studio.streamKey", businessId: 7 })).toBe(false);
    expect(can(officer, { action: "studio.setQuota" })).toBe(false);
    expect(can(admin, { action: "studio.setQuota" })).toBe(true);
    expect(can(admin, { action: "studio.book", businessId: 7 })).toBe(false);
    expect(can(null, { action: "studio.book", businessId: 7 })).toBe(false);
  });
});

describe("the nginx-rtmp ingest", () => {
  /** A data folder at /data, the usual ports and a fixed callback token. */
  const ingestOptions = {
    nginxDir: "/data/nginx",
    hlsDir: "/data/hls",
    rtmpModule: "/usr/lib/nginx/modules/ngx_rtmp_module.so",
    rtmpPort: 1935,
    statsPort: 19350,
    appPort: 3000,
    callbackToken: "t0k3n",
    user: "xinquan",
  };

  it("writes a config that keeps everything under the data folder and calls back with the token", () => {
    const conf = renderIngestConfig(ingestOptions);
    expect(conf).toContain("on_publish http://127.0.0.1:3000/internal/rtmp/t0k3n/publish;");
    expect(conf).toContain("listen 127.0.0.1:19350;");
    expect(conf).toContain("hls_fragment 1s;");
    // A sliding live window that a reconnect continues; dead publishers dropped within 10 s.
    expect(conf).toContain("hls_playlist_length 6s;");
    expect(conf).toContain("hls_continuous on;");
    expect(conf).toContain("drop_idle_publisher 10s;");
    // No log line may hold a stream key: formats without the arguments or URLs, error log at warn.
    const formats = [...conf.matchAll(/log_format (\w+) '([^']*)'/g)];
    expect(formats.map((m) => m[1])).toEqual(["nokeys", "nokeys"]);
    for (const [, , format] of formats)
      expect(format).not.toMatch(/\$(args|tcurl|pageurl|request\b|request_uri|query_string)/);
    const accessLogs = [...conf.matchAll(/^\s*access_log ([^;]+);/gm)].map((m) => m[1]);
    expect(accessLogs).toEqual(["/data/nginx/logs/rtmp-access.log nokeys", "/data/nginx/logs/http-access.log nokeys"]);
    expect(conf).toMatch(/^error_log \S+ warn;$/m);
    expect(conf).not.toMatch(/\/var\//);
    const paths = [...conf.matchAll(/(?:_path|pid|error_log|access_log) (\/\S+)/g)].map((m) => m[1]);
    expect(paths.length).toBeGreaterThan(8);
    for (const p of paths) expect(p.startsWith("/data/")).toBe(true);
  });

  it("adds the transcode ladder only when it is on: an exec'd ffmpeg from loopback into an application of renditions", () => {
    const off = renderIngestConfig(ingestOptions);
    expect(off).not.toContain("exec_push");
    expect(off).not.toContain("application ladder");
    expect(off).not.toContain("allow play");
    const on = renderIngestConfig({ ...ingestOptions, ladder: { ffmpegBin: "/usr/bin/ffmpeg" } });
    const exec = /^\s*exec_push ([^;]+);$/m.exec(on)?.[1] ?? "";
    expect(exec).toMatch(/^\/usr\/bin\/ffmpeg .*-i rtmp:\/\/127\.0\.0\.1:1935\/live\/\$name /);
    for (const rendition of ["_src", "_480p", "_audio"]) {
      expect(exec).toContain(`rtmp://127.0.0.1:1935/ladder/$name${rendition}`);
      expect(on).toMatch(new RegExp(`hls_variant ${rendition} 'BANDWIDTH=\\d+[^']*CODECS="[^"]+"';`));
    }
    // The stream is played without its arguments (the key), and only from loopback.
    expect(exec).not.toContain("$args");
    expect(on).toMatch(/allow play 127\.0\.0\.1;\n[\s\S]*deny play all;/);
    expect(on).toMatch(
      /application ladder \{[\s\S]*allow publish 127\.0\.0\.1;\s*deny publish all;[\s\S]*hls_path \/data\/hls\/ladder;/,
    );
  });

  it("reads what the studio receives from rtmp_stat", () => {
    const xml = `<rtmp><server><application><name>live</name><live>
      <stream><name>other</name><bw_in>1</bw_in><publishing/></stream>
      <stream><name>abcd1234efgh</name><time>5000</time><bw_in>812344</bw_in><bw_video>700000</bw_video>
        <client><id>3</id><publishing/></client><publishing/><active/>
        <meta><video><width>640</width><height>360</height><frame_rate>25</frame_rate><codec>H264</codec></video><audio><codec>AAC</codec></audio></meta>
      </stream></live></application></server></rtmp>`;
    expect(parseStreamStats(xml, "abcd1234efgh")).toEqual({
      width: 640,
      height: 360,
      frameRate: 25,
      bitrate: 812344,
      videoCodec: "H264",
    });
    expect(parseStreamStats(xml, "missing")).toBeNull();
  });

  it("reads the encoder's keyframe interval from the live playlist's fragments", () => {
    const playlist = (durations: number[], before = "") =>
      `#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:3\n${before}${durations.map((d, i) => `#EXTINF:${d.toFixed(3)},\nx-${i}.ts\n`).join("")}`;
    expect(keyframeSeconds(playlist([1, 1, 1.04, 0.96, 1]))).toBe(1);
    expect(keyframeSeconds(playlist([2, 2, 2, 2.04, 1.96, 2]))).toBe(2);
    // Only the fragments since the encoder last (re)connected count, and a few are needed.
    expect(
      keyframeSeconds(
        playlist([1, 1], `#EXTINF:2.000,\na.ts\n#EXTINF:2.000,\nb.ts\n#EXTINF:2.000,\nc.ts\n#EXT-X-DISCONTINUITY\n`),
      ),
    ).toBeNull();
    expect(keyframeSeconds("")).toBeNull();
  });
});
