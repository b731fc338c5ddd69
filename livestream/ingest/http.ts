import fs from "node:fs/promises";
import path from "node:path";
import express from "express";
import type { Db } from "../../db/client";
import {
  VOUCHED_BY_BROWSER_PUBLISH,
  authorizePublish,
  endPublish,
  mayKeepPublishing,
  playbackState,
} from "../../app/domain/studio/bookings.server";
import { streamState } from "../../app/domain/studio/slots";
import type { Logger } from "../../app/lib/log.server";
import type { BrowserIngest } from "./browser";
import type { Ingest } from "./supervisor";

const loopback = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);
const streamName = /^[a-z0-9]{4,32}$/;

/**
 * The media server's callbacks (`/internal/rtmp/TOKEN/...`): loopback only, and the URL carries a
 * per-process secret written into nginx's config, so nothing else can mark a stream live.
 * Any non-2xx answer makes nginx-rtmp refuse the publish (or cut it, for `update`).
 */
export function rtmpCallbacks(deps: { db: Db; ingest: Ingest; log: Logger; browser?: BrowserIngest }) {
  const router = express.Router();
  // Parse the body of these requests only: every other form belongs to Remix.
  router.post(
    "/internal/rtmp/:token/:event",
    express.urlencoded({ extended: false, limit: "8kb" }),
    async (req, res) => {
      if (!loopback.has(req.socket.remoteAddress ?? "") || req.params.token !== deps.ingest.callbackToken) {
        res.status(403).end();
        return;
      }
      const name = String(req.body?.name ?? "");
      const key = String(req.body?.key ?? "");
      if (!streamName.test(name)) {
        res.status(403).end();
        return;
      }
      try {
        switch (req.params.event) {
          case "publish": {
            // This process's own ffmpeg for a browser go-live carries a one-time ticket instead
            // of the key (docs/decisions/024); the booking's status and window are checked alike.
            const vouched = deps.browser?.takeTicket(name, key) ?? false;
            const verdict = await authorizePublish(deps.db, name, vouched ? VOUCHED_BY_BROWSER_PUBLISH : key);
            deps.log.info(
              {
                stream: name,
                addr: req.body?.addr,
                browser: vouched || undefined,
                ok: verdict.ok,
                reason: verdict.ok ? undefined : verdict.reason,
              },
              "publish asked",
            );
            res.status(verdict.ok ? 200 : 403).end();
            return;
          }
          case "publish-done":
            await endPublish(deps.db, name);
            deps.log.info({ stream: name }, "publish ended");
            res.status(200).end();
            return;
          case "update": {
            const ok = await mayKeepPublishing(deps.db, name);
            if (!ok) deps.log.info({ stream: name }, "cutting off a stream past its slot");
            res.status(ok ? 200 : 403).end();
            return;
          }
          default:
            res.status(404).end();
        }
      } catch (error) {
        deps.log.error({ err: error, stream: name }, "rtmp callback failed");
        res.status(500).end();
      }
    },
  );
  return router;
}

/**
 * HLS from the site's own origin: playlists never cached (they change every second), fragments
 * cached (they never change). Once a stream has ended its playlist gets #EXT-X-ENDLIST, which
 * makes the same files a replay (VOD).
 */
export function hlsFiles(deps: { db: Db; ingest: Ingest }) {
  const router = express.Router();
  router.get("/hls/:file", async (req, res, next) => {
    const file = req.params.file;
    const playlist = /^([a-z0-9]{4,32})\.m3u8$/.exec(file);
    const fragment = /^([a-z0-9]{4,32})-\d+\.ts$/.exec(file);
    if (!playlist && !fragment) {
      res.status(404).end();
      return;
    }
    const state = await playbackState(deps.db, (playlist ?? fragment)![1]).catch(next);
    if (!state || state.status === "cancelled") {
      res.status(404).end();
      return;
    }
    const full = path.join(deps.ingest.hlsDir, file);
    if (fragment) {
      res.sendFile(full, { maxAge: "1d", headers: { "Content-Type": "video/mp2t" } }, (error) => {
        if (error && !res.headersSent) res.status(404).end();
      });
      return;
    }
    let text: string;
    try {
      text = await fs.readFile(full, "utf8");
    } catch {
      res.status(404).end();
      return;
    }
    if (streamState(state, new Date()) === "ended" && !text.includes("#EXT-X-ENDLIST")) {
      text = `${text.trimEnd()}\n#EXT-X-ENDLIST\n`;
    }
    res.setHeader("Cache-Control", "no-cache");
    res.type("application/vnd.apple.mpegurl").send(text);
  });
  return router;
}
