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
