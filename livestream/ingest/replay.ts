import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import type { Db } from "../../db/client";
import { endQuietShows, keptReplays, markReplaysRemoved, playbackState } from "../../app/domain/studio/bookings.server";
import { streamState } from "../../app/domain/studio/slots";
import type { Logger } from "../../app/lib/log.server";

/**
 * A show's replay, apart from its live playlist (docs/decisions/022).
 *
 * nginx writes a sliding-window live playlist (`ID.m3u8`) and keeps every fragment. While an
 * encoder publishes, this copies each new fragment that belongs to the show (not the preview
 * before the slot) into the replay's own playlist `ID.vod.m3u8`, with a discontinuity wherever a
 * reconnect broke the stream. When the show ends, the playlist is closed and ffmpeg packs its
 * fragments into one file (`ID-replay.ts`, addressed by byte ranges). Old replays are removed by
 * age and by a storage cap.
 */

export interface ReplaySettings {
  /** A live show with no encoder this long ends. */
  idleEndMinutes: number;
  /** Replays older than this are removed (0: never by age). */
  keepDays: number;
  /** All replay files together stay under this (0: no cap). */
  maxBytes: number;
  ffmpegBin?: string;
}

interface Entry {
  seq: number;
  duration: string;
  uri: string;
  discontinuity: boolean;
}

/** The fragments of an nginx-rtmp playlist, with their media sequence numbers. */
export function parsePlaylist(text: string): Entry[] {
  const lines = text.split(/\r?\n/);
  let seq = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(text)?.[1] ?? 0);
  const entries: Entry[] = [];
  let duration: string | null = null;
  let discontinuity = false;
  for (const line of lines) {
    if (line.startsWith("#EXTINF:")) duration = line.slice(8).replace(/,.*$/, "");
    else if (line === "#EXT-X-DISCONTINUITY") discontinuity = true;
    else if (line && !line.startsWith("#") && duration !== null) {
      entries.push({ seq, duration, uri: line.trim(), discontinuity });
      seq += 1;
      duration = null;
      discontinuity = false;
    }
  }
  return entries;
}

const fragmentSeq = (uri: string) => Number(/-(\d+)\.ts$/.exec(uri)?.[1] ?? -1);

export const replayPlaylist = (publicId: string) => `${publicId}.vod.m3u8`;
export const packedReplay = (publicId: string) => `${publicId}-replay.ts`;

const HEADER =
  "#EXTM3U\n#EXT-X-VERSION:4\n#EXT-X-PLAYLIST-TYPE:EVENT\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n";

function run(bin: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(bin, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr = (stderr + chunk).slice(-2000)));
    child.once("error", (error) => resolve({ code: -1, stderr: String(error) }));
    child.once("exit", (code) => resolve({ code, stderr }));
  });
}

export class ReplayRecorder {
  /** Streams with an encoder on (from the callbacks): the last fragment copied, or -1. */
  private readonly active = new Map<string, { lastSeq: number; breakNext: boolean; client: string }>();
  /** One chain of work per stream, so copying, closing and packing never overlap. */
  private readonly chains = new Map<string, Promise<unknown>>();
  private timers: NodeJS.Timeout[] = [];
  /** Replays ffmpeg could not pack: they keep playing from their fragments, and are not retried. */
  private readonly unpackable = new Set<string>();
  private readonly ffmpeg: string;

  constructor(
    private readonly deps: { db: Db; hlsDir: string; log: Logger },
    private readonly settings: ReplaySettings,
  ) {
    this.ffmpeg = settings.ffmpegBin ?? "ffmpeg";
  }

  private serial<T>(publicId: string, work: () => Promise<T>): Promise<T> {
    const next = (this.chains.get(publicId) ?? Promise.resolve()).then(work, work);
    this.chains.set(
      publicId,
      next.catch(() => {}),
    );
    return next;
  }

  /** Copying every second, ending quiet shows and packing every 5 s, clean-up every hour. */
  start(): void {
    const every = (ms: number, work: () => Promise<unknown>) => {
      let busy = false;
      const timer = setInterval(() => {
        if (busy) return;
        busy = true;
        work()
          .catch((error: unknown) => this.deps.log.error({ err: error }, "replay work failed"))
          .finally(() => (busy = false));
      }, ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(1000, () => this.copyAll());
    every(5000, () => this.sweep());
    every(60 * 60_000, () => this.cleanUp());
    void this.cleanUp().catch((error: unknown) => this.deps.log.error({ err: error }, "replay clean-up failed"));
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }

  /** An encoder began publishing `publicId` (a preview, a show, or a reconnect). */
  publishing(publicId: string, client = ""): void {
    const known = this.active.get(publicId);
    if (known) Object.assign(known, { breakNext: true, client });
    else this.active.set(publicId, { lastSeq: -1, breakNext: true, client });
  }

  /**
   * Encoder `client` left: copy what it sent last, then stop watching, unless a new encoder began
   * meanwhile (its publish may arrive while this copy runs).
   */
  async published(publicId: string, client = ""): Promise<void> {
    if (this.active.get(publicId)?.client !== client) return;
    await this.copy(publicId);
    if (this.active.get(publicId)?.client === client) this.active.delete(publicId);
  }

  async copyAll(): Promise<void> {
    await Promise.all([...this.active.keys()].map((id) => this.copy(id)));
  }

  /** Appends the live playlist's new fragments to the replay, while the show is live. */
  copy(publicId: string): Promise<void> {
    return this.serial(publicId, async () => {
      const watch = this.active.get(publicId);
      if (!watch) return;
      const livePath = path.join(this.deps.hlsDir, `${publicId}.m3u8`);
      const vodPath = path.join(this.deps.hlsDir, replayPlaylist(publicId));
      let live: Entry[];
      try {
        live = parsePlaylist(await fs.readFile(livePath, "utf8"));
      } catch {
        return; // nginx has not written it yet
      }
      let existing = "";
      try {
        existing = await fs.readFile(vodPath, "utf8");
      } catch {
        // the show's first fragment
      }
      if (existing.includes("#EXT-X-ENDLIST")) return;
      // After a restart of this process, the replay itself says how far it got.
      const copied = parsePlaylist(existing);
      if (watch.lastSeq < 0 && copied.length > 0) watch.lastSeq = fragmentSeq(copied[copied.length - 1].uri);
      const fresh = live.filter((e) => fragmentSeq(e.uri) > watch.lastSeq);
      if (fresh.length === 0) return;
      const state = await playbackState(this.deps.db, publicId);
      const now = new Date();
      if (!state || streamState(state, now) !== "live") {
        // A preview (or the tail after the end): not part of the replay.
        watch.lastSeq = fragmentSeq(fresh[fresh.length - 1].uri);
        return;
      }
      let text = existing || HEADER;
      for (const entry of fresh) {
        const cut = copied.length > 0 || text !== HEADER ? entry.discontinuity || watch.breakNext : false;
        text += `${cut ? "#EXT-X-DISCONTINUITY\n" : ""}#EXTINF:${entry.duration},\n${entry.uri}\n`;
        watch.breakNext = false;
        watch.lastSeq = fragmentSeq(entry.uri);
      }
      await writeAtomically(vodPath, text);
    });
  }

  /** Ends the shows nobody continues, then closes and packs every ended show's replay. */
  async sweep(now = new Date()): Promise<void> {
    const ended = await endQuietShows(this.deps.db, now, this.settings.idleEndMinutes);
    if (ended.length > 0) this.deps.log.info({ streams: ended }, "ended shows without an encoder or past the cut-off");
    let names: string[];
    try {
      names = await fs.readdir(this.deps.hlsDir);
    } catch {
      return;
    }
    for (const name of names) {
      const id = /^([a-z0-9]{4,32})\.vod\.m3u8$/.exec(name)?.[1];
      if (!id || names.includes(packedReplay(id)) || this.unpackable.has(id)) continue;
      const state = await playbackState(this.deps.db, id);
      if (state && streamState(state, now) === "ended") await this.finish(id);
    }
  }

  /** Closes a replay's playlist (it is a VOD from now on) and packs its fragments into one file. */
  finish(publicId: string): Promise<void> {
    return this.serial(publicId, async () => {
      this.active.delete(publicId);
      const dir = this.deps.hlsDir;
      const vodPath = path.join(dir, replayPlaylist(publicId));
      let text: string;
      try {
        text = await fs.readFile(vodPath, "utf8");
      } catch {
        return;
      }
      if (!text.includes("#EXT-X-ENDLIST")) {
        text = `${text.replace("#EXT-X-PLAYLIST-TYPE:EVENT", "#EXT-X-PLAYLIST-TYPE:VOD").trimEnd()}\n#EXT-X-ENDLIST\n`;
        await writeAtomically(vodPath, text);
      }
      const fragments = parsePlaylist(text).map((e) => e.uri);
      if (fragments.length === 0) return;
      // ffmpeg's concat demuxer lays the pieces end to end (across reconnects), and its HLS muxer
      // writes one file with a byte-range playlist: two files per replay instead of thousands.
      const list = path.join(dir, `${publicId}.concat.txt`);
      await fs.writeFile(list, fragments.map((f) => `file '${path.join(dir, f)}'`).join("\n") + "\n");
      const packedPlaylist = path.join(dir, `${publicId}.packed.m3u8`);
      const result = await run(this.ffmpeg, [
        ...["-hide_banner", "-loglevel", "error", "-y"],
        ...["-f", "concat", "-safe", "0", "-i", list],
        ...["-c", "copy", "-f", "hls", "-hls_time", "10", "-hls_playlist_type", "vod"],
        ...["-hls_flags", "single_file", "-hls_segment_filename", path.join(dir, packedReplay(publicId))],
        packedPlaylist,
      ]);
      await fs.rm(list, { force: true });
      if (result.code !== 0) {
        this.unpackable.add(publicId);
        this.deps.log.error(
          { stream: publicId, stderr: result.stderr },
          "packing a replay failed; it plays from its fragments",
        );
        await fs.rm(packedPlaylist, { force: true });
        await fs.rm(path.join(dir, packedReplay(publicId)), { force: true });
        return;
      }
      await fs.rename(packedPlaylist, vodPath);
      this.deps.log.info({ stream: publicId, fragments: fragments.length }, "replay packed into one file");
    });
  }

  /**
   * Removes what no page needs any more: the 1-second fragments of packed replays (after 10
   * minutes, for players still on the old playlist), replays older than `keepDays`, and the oldest
   * replays while all of them take more than `maxBytes`.
   */
  async cleanUp(now = new Date()): Promise<string[]> {
    const dir = this.deps.hlsDir;
    let names: string[];
    try {
      names = await fs.readdir(dir);
    } catch {
      return [];
    }
    const sizes = new Map<string, number>();
    const mtimes = new Map<string, number>();
    for (const name of names) {
      const stat = await fs.stat(path.join(dir, name)).catch(() => null);
      if (!stat) continue;
      sizes.set(name, stat.size);
      mtimes.set(name, stat.mtimeMs);
    }
    const filesOf = (id: string) => names.filter((n) => n.startsWith(`${id}.`) || n.startsWith(`${id}-`));
    // Loose fragments of packed replays.
    for (const name of names) {
      const id = /^([a-z0-9]{4,32})-replay\.ts$/.exec(name)?.[1];
      if (!id || now.getTime() - (mtimes.get(name) ?? now.getTime()) < 10 * 60_000) continue;
      if (this.active.has(id)) continue;
      for (const f of filesOf(id)) {
        if (/-\d+\.ts$/.test(f) || f === `${id}.m3u8`) {
          await fs.rm(path.join(dir, f), { force: true });
          sizes.delete(f);
        }
      }
    }
    // A preview that never became a show leaves fragments no replay lists: gone after a day.
    const loose = new Set<string>();
    for (const name of names) {
      const id = /^([a-z0-9]{4,32})(?:-\d+\.ts|\.m3u8)$/.exec(name)?.[1];
      if (
        id &&
        !names.includes(replayPlaylist(id)) &&
        now.getTime() - (mtimes.get(name) ?? now.getTime()) > 86_400_000
      ) {
        loose.add(id);
      }
    }
    for (const id of loose) {
      const state = await playbackState(this.deps.db, id);
      if (state?.liveSince || this.active.has(id)) continue; // a show's (or an older replay's) files
      for (const f of filesOf(id)) {
        await fs.rm(path.join(dir, f), { force: true });
        sizes.delete(f);
      }
    }
    const kept = await keptReplays(this.deps.db);
    const removed: string[] = [];
    const bytesOf = (id: string) => filesOf(id).reduce((sum, f) => sum + (sizes.get(f) ?? 0), 0);
    let total = kept.reduce((sum, r) => sum + bytesOf(r.publicId), 0);
    for (const replay of kept) {
      const old =
        this.settings.keepDays > 0 &&
        replay.liveEndedAt! < new Date(now.getTime() - this.settings.keepDays * 86_400_000);
      const over = this.settings.maxBytes > 0 && total > this.settings.maxBytes;
      if (!old && !over) continue;
      const bytes = bytesOf(replay.publicId);
      for (const f of filesOf(replay.publicId)) await fs.rm(path.join(dir, f), { force: true });
      total -= bytes;
      removed.push(replay.publicId);
    }
    await markReplaysRemoved(this.deps.db, removed, now);
    if (removed.length > 0) this.deps.log.info({ streams: removed, bytesLeft: total }, "removed old replays");
    return removed;
  }
}

async function writeAtomically(file: string, text: string) {
  const temp = `${file}.tmp`;
  await fs.writeFile(temp, text);
  await fs.rename(temp, file);
}
