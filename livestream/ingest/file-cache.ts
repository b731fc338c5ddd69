import fs from "node:fs/promises";
import type express from "express";

/**
 * Live HLS fragments and playlists from memory (docs/decisions/041). Every viewer of a show asks
 * for the same few files within a second of each other, so each is read from disk once and a
 * fragment is sent from a buffer in one write, instead of an open, a stat, five 64 KB reads and a
 * close through the thread pool for every viewer.
 *
 * A file is asked about again (one `stat`) once what is held is `recheckMs` old, and its size and
 * modification time must be those of the bytes held: a playlist nginx rewrote, or a fragment that
 * was still being written when first read, is read again, and a removed file is gone. So a
 * viewer may get a playlist up to `recheckMs` older than the file, as if it had asked that much
 * earlier (players ask about once a second).
 *
 * Range requests (the packed replay is read by ranges) and files over `maxFileBytes` are left to
 * `res.sendFile`, as are fragments that changed while they were read.
 */
export interface HlsFileCache {
  /** Sends `file` (an absolute path) and answers true, or answers false for the caller to send it. */
  send(req: express.Request, res: express.Response, file: string): Promise<boolean>;
  /** A playlist's text (null: no such file). */
  text(file: string): Promise<string | null>;
  /** Bytes held, and how many times a file was read (the tests read them). */
  stats(): { bytes: number; reads: number };
}

interface Held {
  size: number;
  mtime: Date;
  /** The bytes, or null when the file changed while it was read. */
  body: Promise<Buffer | null>;
  /** The bytes as text, once asked for. */
  text?: string;
}

interface Entry {
  /** The file as last asked about (null: not there, or too large to hold). */
  held: Promise<Held | null>;
  checkedAt: number;
}

export function hlsFileCache(
  options: { maxBytes?: number; maxFileBytes?: number; recheckMs?: number; clock?: () => number } = {},
): HlsFileCache {
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  const maxFileBytes = options.maxFileBytes ?? 4 * 1024 * 1024;
  const recheckMs = options.recheckMs ?? 100;
  const clock = options.clock ?? (() => performance.now());
  // Least recently used first: a hit moves its entry to the end.
  const entries = new Map<string, Entry>();
  /** What each held file's bytes take, by file. */
  const sizes = new Map<string, number>();
  let bytes = 0;
  let reads = 0;

  const forget = (file: string) => {
    entries.delete(file);
    bytes -= sizes.get(file) ?? 0;
    sizes.delete(file);
  };

  const hold = (file: string, size: number) => {
    bytes += size - (sizes.get(file) ?? 0);
    sizes.set(file, size);
    for (const [oldest] of entries) {
      if (bytes <= maxBytes || oldest === file) break;
      forget(oldest);
    }
  };

  /** Asks about `file` and reads it again unless `before` holds the same size and time. */
  const check = async (file: string, before: Held | null): Promise<Held | null> => {
    const stat = await fs.stat(file).catch(() => null);
    if (!stat?.isFile() || stat.size > maxFileBytes) return null;
    if (before && before.size === stat.size && before.mtime.getTime() === stat.mtime.getTime()) return before;
    reads++;
    const body = fs.readFile(file).then(
      (buffer) => (buffer.length === stat.size ? buffer : null),
      () => null,
    );
    return { size: stat.size, mtime: stat.mtime, body };
  };

  /** The file as it is now, or at most `recheckMs` ago (null: not there, or not to be held). */
  const current = async (file: string): Promise<Held | null> => {
    let entry = entries.get(file);
    const now = clock();
    if (entry && now - entry.checkedAt < recheckMs) {
      entries.delete(file);
      entries.set(file, entry);
    } else {
      const before = entry ? await entry.held : null;
      // Another request may have asked meanwhile.
      entry = entries.get(file);
      if (!entry || clock() - entry.checkedAt >= recheckMs) {
        entry = { held: check(file, before), checkedAt: clock() };
        entries.delete(file);
        entries.set(file, entry);
      }
    }
    const mine = entry;
    const held = await mine.held;
    const body = held && (await held.body);
    if (entries.get(file) === mine) {
      if (held && body) hold(file, held.size);
      else forget(file);
    }
    return held && body ? held : null;
  };

  return {
    async text(file) {
      const held = await current(file);
      if (!held) return fs.readFile(file, "utf8").catch(() => null);
      return (held.text ??= (await held.body)!.toString("utf8"));
    },
    async send(req, res, file) {
      if (req.headers.range) return false;
      const held = await current(file);
      const body = held && (await held.body);
      if (!held || !body) return false;
      // The headers res.sendFile gives a fragment (the `send` package's weak ETag), so that a
      // player's revalidation works the same either way.
      res.setHeader("Content-Type", "video/mp2t");
      res.setHeader("Cache-Control", "public, max-age=86400");
      res.setHeader("Accept-Ranges", "bytes");
      res.setHeader("Last-Modified", held.mtime.toUTCString());
      res.setHeader("ETag", `W/"${held.size.toString(16)}-${held.mtime.getTime().toString(16)}"`);
      if (req.fresh) {
        res.status(304).end();
        return true;
      }
      res.setHeader("Content-Length", body.length);
      res.end(req.method === "HEAD" ? undefined : body);
      return true;
    },
    stats: () => ({ bytes, reads }),
  };
}
