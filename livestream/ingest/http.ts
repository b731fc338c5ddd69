import fs from "node:fs/promises";
import path from "node:path";
import compression from "compression";
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
import { LADDER_DIR } from "./config";
import { hlsFileCache, type HlsFileCache } from "./file-cache";
import type { ReplayRecorder } from "./replay";
import type { Ingest } from "./supervisor";

const loopback = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);
const streamName = /^[a-z0-9]{4,32}$/;

/**
 * The media server's callbacks (`/internal/rtmp/TOKEN/...`): loopback only, and the URL carries a
 * per-process secret written into nginx's config, so nothing else can mark a stream live.
 * Any non-2xx answer makes nginx-rtmp refuse the publish (or cut it, for `update`). nginx names
 * each connection (`clientid`): only the current encoder's close or update counts, so a second
 * encoder that nginx refuses changes nothing (docs/decisions/022).
 */
export function rtmpCallbacks(deps: {
  db: Db;
  ingest: Ingest;
  log: Logger;
  browser?: BrowserIngest;
  replays?: ReplayRecorder;
}) {
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
      const client = String(req.body?.clientid ?? "");
      if (!streamName.test(name)) {
        res.status(403).end();
        return;
      }
      try {
        const now = new Date();
        switch (req.params.event) {
          case "publish": {
            // This process's own ffmpeg for a browser go-live carries a one-time ticket instead
            // of the key (docs/decisions/024); the booking's status and window are checked alike.
            const vouched = (await deps.browser?.takeTicket(name, key)) ?? false;
            const verdict = await authorizePublish(
              deps.db,
              name,
              vouched ? VOUCHED_BY_BROWSER_PUBLISH : key,
              now,
              client,
            );
            // Never the key: only the stream's public name and the verdict reach the log.
            deps.log.info(
              {
                stream: name,
                client,
                addr: req.body?.addr,
                browser: vouched || undefined,
                ok: verdict.ok,
                ...(verdict.ok ? { state: verdict.state, reconnect: verdict.reconnect } : { reason: verdict.reason }),
              },
              "publish asked",
            );
            if (verdict.ok) deps.replays?.publishing(name, client);
            res.status(verdict.ok ? 200 : 403).end();
            return;
          }
          case "publish-done": {
            const current = await endPublish(deps.db, name, now, client);
            deps.log.info({ stream: name, client, current }, "publish ended");
            if (current) await deps.replays?.published(name, client);
            res.status(200).end();
            return;
          }
          case "update": {
            const ok = await mayKeepPublishing(deps.db, name, now, client);
            if (!ok) deps.log.info({ stream: name }, "cutting off a stream: ended, cancelled or past its slot");
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

/** How long one process trusts what it read about a stream's playback state. */
export const PLAYBACK_STATE_TTL_MS = 2000;

type PlaybackState = Awaited<ReturnType<typeof playbackState>>;

/**
 * Each stream's playback state (exists? cancelled? ended?), read from the database at most once
 * per PLAYBACK_STATE_TTL_MS per process however many viewers ask: the HLS requests themselves cost
 * a file read and no query (docs/decisions/023). Concurrent misses share one query.
 */
export function playbackStates(db: Db, ttlMs = PLAYBACK_STATE_TTL_MS, clock = () => Date.now()) {
  const cache = new Map<string, { at: number; state: Promise<PlaybackState> }>();
  let queries = 0;
  return {
    get(publicId: string): Promise<PlaybackState> {
      const now = clock();
      const hit = cache.get(publicId);
      if (hit && now - hit.at < ttlMs) return hit.state;
      queries++;
      const state = playbackState(db, publicId);
      cache.set(publicId, { at: now, state });
      state.catch(() => cache.delete(publicId));
      // Unknown names (a scan) would fill the map: drop what has expired once it grows.
      if (cache.size > 1000) for (const [k, v] of cache) if (now - v.at >= ttlMs) cache.delete(k);
      return state;
    },
    /** How many database reads this cache made (the bench and the tests read it). */
    queries: () => queries,
  };
}

/**
 * HLS from the site's own origin. `ID.m3u8` is the live sliding window (before the slot only the
 * merchant's preview link may read it), `ID.vod.m3u8` the replay, built across reconnects
 * (livestream/ingest/replay.ts), and `ID-replay.ts` the packed replay, read by byte ranges.
 * Playlists are never cached (they change every second), fragments are (they never change).
 * The files come from `hlsDir` (XQ_HLS_DIR): every process given the same folder serves every
 * stream, whichever process's nginx wrote it; a stream's state is read at most once per 2 s.
 * The server mounts this ahead of its page middleware, so the headers a file needs are set here.
 */
export function hlsFiles(deps: {
  db: Db;
  ingest: Pick<Ingest, "hlsDir">;
  states?: ReturnType<typeof playbackStates>;
  files?: HlsFileCache;
}) {
  const router = express.Router();
  const states = deps.states ?? playbackStates(deps.db);
  const files = deps.files ?? hlsFileCache();
  // Replay playlists list every fragment of a show (hundreds of KB for two hours): gzip them.
  const compress = compression();
  router.use("/hls", (_req, res, next) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Cross-Origin-Resource-Policy", "same-origin");
    next();
  });
  /**
   * A playlist, never cached: a live one grows. A live window (a few hundred bytes, asked for by
   * every viewer every second) is written as it is: under 1 KB `compression` would not gzip it,
   * and a hash for an ETag nobody revalidates is wasted.
   */
  const sendPlaylist = (req: express.Request, res: express.Response, text: string) => {
    res.setHeader("Cache-Control", "no-cache");
    res.setHeader("Content-Type", "application/vnd.apple.mpegurl; charset=utf-8");
    if (text.length < 1024) {
      res.setHeader("Content-Length", Buffer.byteLength(text));
      res.end(req.method === "HEAD" ? undefined : text);
      return;
    }
    compress(req, res, () => res.send(text));
  };
  /** A fragment: a live one from memory (./file-cache.ts), else from the file. */
  const sendFragment = (req: express.Request, res: express.Response, next: express.NextFunction, full: string) =>
    files.send(req, res, full).then((sent) => {
      if (!sent) sendFile(res, full);
    }, next);
  /** Stream `id`'s playback state (null: no such stream); undefined once a failed read went to `next`. */
  const stateOr = (id: string, next: express.NextFunction) =>
    states.get(id).catch((error: unknown) => {
      next(error);
      return undefined;
    });
  router.get("/hls/:file", async (req, res, next) => {
    const file = req.params.file;
    const match = /^([a-z0-9]{4,32})(\.m3u8|\.vod\.m3u8|-\d+\.ts|-replay\.ts)$/.exec(file);
    if (!match) {
      res.status(404).end();
      return;
    }
    const [, id, kind] = match;
    const state = await stateOr(id, next);
    if (state === undefined) return;
    if (!state || state.status === "cancelled") {
      res.status(404).end();
      return;
    }
    const now = new Date();
    const phase = streamState(state, now);
    const preview = typeof req.query.preview === "string" && req.query.preview === state.previewToken;
    const isReplay = kind === ".vod.m3u8" || kind === "-replay.ts";
    // Before the show only the merchant's preview; the replay once the show has begun.
    if ((phase === "upcoming" && !preview) || (isReplay && (!state.liveSince || state.replayRemovedAt))) {
      res.status(404).end();
      return;
    }
    const full = path.join(deps.ingest.hlsDir, file);
    if (kind === "-replay.ts") {
      sendFile(res, full);
      return;
    }
    if (kind.endsWith(".ts")) {
      await sendFragment(req, res, next, full);
      return;
    }
    let text = await files.text(full);
    if (text === null) {
      // Shows from before replays had their own playlist: their live playlist held every fragment.
      const older =
        kind === ".vod.m3u8"
          ? await fs.readFile(path.join(deps.ingest.hlsDir, `${id}.m3u8`), "utf8").catch(() => null)
          : null;
      if (older === null || !/#EXT-X-PLAYLIST-TYPE: ?EVENT/.test(older)) {
        res.status(404).end();
        return;
      }
      text = older;
    }
    if (phase === "ended") text = endedPlaylist(text);
    if (phase === "upcoming") {
      // The preview's fragments carry the same token (players drop the query resolving them).
      text = text.replace(/^([a-z0-9]{4,32}-\d+\.ts)(\r?)$/gm, `$1?preview=${state.previewToken}$2`);
    }
    sendPlaylist(req, res, text);
  });
  // The transcode ladder (docs/decisions/032): `ID.m3u8` is the master playlist, `ID_src.m3u8`,
  // `ID_480p.m3u8` and `ID_audio.m3u8` its renditions. Public once the show has begun, like the
  // live playlist; the merchant's preview plays the source alone.
  router.get(`/hls/${LADDER_DIR}/:file`, async (req, res, next) => {
    const match = /^([a-z0-9]{4,32})(_src|_480p|_audio)?(\.m3u8|-\d+\.ts)$/.exec(req.params.file);
    if (!match) {
      res.status(404).end();
      return;
    }
    const [file, id, rendition, kind] = match;
    const state = await stateOr(id, next);
    if (state === undefined) return;
    const phase = state && state.status !== "cancelled" ? streamState(state, new Date()) : null;
    if (phase !== "live" && phase !== "ended") {
      res.status(404).end();
      return;
    }
    const full = path.join(deps.ingest.hlsDir, LADDER_DIR, file);
    if (kind !== ".m3u8") {
      await sendFragment(req, res, next, full);
      return;
    }
    let text = await files.text(full);
    if (text === null) {
      res.status(404).end();
      return;
    }
    if (phase === "ended" && rendition) text = endedPlaylist(text);
    sendPlaylist(req, res, text);
  });
  return router;
}

/** An HLS fragment, cached for a day (it never changes); 404 when its file is gone. */
function sendFile(res: express.Response, full: string) {
  res.sendFile(full, { maxAge: "1d", headers: { "Content-Type": "video/mp2t" } }, (error) => {
    if (error && !res.headersSent) res.status(404).end();
  });
}

/** A playlist marked as complete, so players stop asking for more (an ended show's). */
const endedPlaylist = (text: string) =>
  text.includes("#EXT-X-ENDLIST") ? text : `${text.trimEnd()}\n#EXT-X-ENDLIST\n`;
