import type { Ingest } from "../../livestream/ingest/supervisor";

/**
 * The ingest as pages and callbacks see it, with no nginx behind it: always online on the
 * usual RTMP port, its HLS in `hlsDir`, its callbacks behind `callbackToken`, no stream statistics.
 */
export function onlineIngest(hlsDir: string, callbackToken: string): Ingest {
  return { online: () => true, rtmpPort: 1935, hlsDir, callbackToken, streamStats: async () => null };
}
