import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import type { Namespace, Server, Socket } from "socket.io";
import type { Db } from "../../db/client";
import type { Actor } from "../../app/domain/accounts/actor";
import type { Auth } from "../../app/domain/accounts/auth.server";
import { actorFromCookie } from "../../app/domain/accounts/session.server";
import { authorizeBrowserPublish } from "../../app/domain/studio/bookings.server";
import { DomainError, isDomainError } from "../../app/domain/errors";
import { createI18n } from "../../app/i18n/i18n";
import { localeFromCookieHeader } from "../../app/i18n/locale.server";
import { clockNow } from "../../app/lib/clock.server";
import type { Logger } from "../../app/lib/log.server";
import { z } from "zod";
import {
  BROWSER_PUBLISH_NAMESPACE,
  type BrowserPublishClientEvents,
  type BrowserPublishReply,
  type BrowserPublishServerEvents,
} from "./browser-protocol";
import type { Ingest } from "./supervisor";
import { localTickets, type PublishTickets } from "./tickets";

const startSchema = z.object({
  publicId: z.string().regex(/^[a-z0-9]{4,32}$/),
  mimeType: z.string().max(100),
});

/** A ticket is good for one publish, this long after it was issued. */
const TICKET_TTL_MS = 30_000;
/** What ffmpeg may have unread on its stdin before the phone's upload counts as too fast for it. */
const MAX_PENDING_BYTES = 16 * 1024 * 1024;
/** How often a running browser go-live checks the session and the booking again. */
const RECHECK_MS = 30_000;

export interface BrowserPublishDeps {
  db: Db;
  auth: Auth;
  log: Logger;
  ingest: Ingest;
  /** The ffmpeg that turns the browser's WebM into RTMP (FFMPEG_BIN, default `ffmpeg` on PATH). */
  ffmpegBin: string;
  now?: () => Date;
  recheckMs?: number;
}

/**
 * ffmpeg's arguments: the browser's WebM/Matroska on stdin, FLV over RTMP into the studio's own
 * nginx. H.264 from the browser is copied (its keyframe every second asked of MediaRecorder);
 * VP8/VP9 is encoded as the go-live page tells OBS users to (x264, keyframe every second).
 * Opus is always re-encoded: FLV carries AAC.
 */
export function browserIngestArgs(url: string, videoCodec: "h264" | "other") {
  return [
    ...["-hide_banner", "-loglevel", "error", "-nostdin"],
    ...["-fflags", "+genpts+nobuffer", "-flags", "low_delay", "-probesize", "32768", "-analyzeduration", "0"],
    ...["-f", "matroska", "-i", "pipe:0"],
    ...(videoCodec === "h264"
      ? ["-c:v", "copy"]
      : [
          ...["-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-pix_fmt", "yuv420p"],
          ...["-b:v", "2000k", "-maxrate", "2500k", "-bufsize", "2500k"],
          ...["-force_key_frames", "expr:gte(t,n_forced*1)", "-sc_threshold", "0"],
        ]),
    ...["-c:a", "aac", "-b:a", "128k", "-ar", "44100", "-ac", "2"],
    ...["-f", "flv", url],
  ];
}

interface Session {
  publicId: string;
  socketId: string;
  ffmpeg: ChildProcess;
  pending: number;
  stopping: boolean;
}

type PublishSocket = Socket<BrowserPublishClientEvents, BrowserPublishServerEvents, object, { actor: Actor }>;

/**
 * Going live from a browser (docs/decisions/024): the go-live page sends its MediaRecorder's
 * chunks over the socket.io namespace `/publish`; this process checks the person and the booking
 * in the domain, then runs one ffmpeg per show that publishes into the studio's own nginx with a
 * one-time ticket in place of the stream key (which is stored only as a hash). nginx asks the
 * app as for any encoder; the ticket answers "this process's ffmpeg, already allowed".
 */
export class BrowserIngest {
  private tickets: PublishTickets = localTickets();
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly deps: BrowserPublishDeps) {}

  /** Keeps tickets where every worker of a cluster can take them (livestream/ingest/tickets.ts). */
  shareTickets(tickets: PublishTickets) {
    this.tickets = tickets;
  }

  /** A one-time ticket for `publicId`'s next publish from this process's ffmpeg. */
  private async issueTicket(publicId: string): Promise<string> {
    const ticket = randomBytes(24).toString("base64url");
    await this.tickets.put(publicId, ticket, TICKET_TTL_MS);
    return ticket;
  }

  /** Whether `key` is a live ticket for `publicId` (a ticket taken is used up; a wrong key takes none). */
  takeTicket(publicId: string, key: string): Promise<boolean> {
    return this.tickets.take(publicId, key);
  }

  /** The shows this process is publishing from a browser now. */
  publishing(): string[] {
    return [...this.sessions.keys()];
  }

  attach(server: Server): Namespace {
    const { db, auth, log } = this.deps;
    const now = this.deps.now ?? clockNow;
    const nsp = server.of(BROWSER_PUBLISH_NAMESPACE) as unknown as Namespace<
      BrowserPublishClientEvents,
      BrowserPublishServerEvents,
      object,
      { actor: Actor }
    >;
    // The namespace's own handshake: the same session cookie, the same actor as the HTTP side.
    nsp.use((socket, next) => {
      actorFromCookie(db, auth, socket.handshake.headers.cookie)
        .then(({ actor }) => {
          socket.data.actor = actor;
          next();
        })
        .catch((error: unknown) => {
          log.error({ err: error }, "publish socket handshake failed");
          next(new Error("handshake failed"));
        });
    });

    const refusal = (socket: PublishSocket, error: unknown): BrowserPublishReply => {
      const t = createI18n(localeFromCookieHeader(socket.handshake.headers.cookie)).t;
      if (isDomainError(error)) return { ok: false, error: error.code, message: t(error.code, error.params) };
      log.error({ err: error }, "browser publish failed");
      return { ok: false, error: "server.error", message: t("errorPages.serverErrorBody") };
    };

    /** The person behind the socket, read again from the session (it may have ended since). */
    const currentActor = async (socket: PublishSocket) =>
      (await actorFromCookie(db, auth, socket.handshake.headers.cookie)).actor;

    nsp.on("connection", (socket: PublishSocket) => {
      let session: Session | null = null;
      let recheck: NodeJS.Timeout | undefined;

      const stop = (reason: string) => {
        clearInterval(recheck);
        if (!session) return;
        this.stopSession(session, reason);
        session = null;
      };

      socket.on("publish:start", async (payload, ack) => {
        if (typeof ack !== "function") return;
        try {
          const parsed = startSchema.safeParse(payload);
          if (!parsed.success) throw new DomainError("errors.notFound", 404);
          if (session) throw new DomainError("studio.goLive.browser.busy", 409);
          const { publicId, mimeType } = parsed.data;
          const actor = await currentActor(socket);
          socket.data.actor = actor;
          await authorizeBrowserPublish(db, actor, publicId, now());
          if (!this.deps.ingest.online()) throw new DomainError("studio.errors.ingestOffline", 409);
          const ticket = await this.issueTicket(publicId);
          // After the await: another socket (or this one) may have started meanwhile.
          if (this.sessions.has(publicId) || session) {
            await this.tickets.drop(publicId, ticket);
            throw new DomainError("studio.goLive.browser.busy", 409);
          }
          const videoCodec = /avc1|h264/i.test(mimeType) ? "h264" : "other";
          session = this.startSession(publicId, ticket, socket.id, videoCodec, (reason) => {
            clearInterval(recheck);
            session = null;
            socket.emit("publish:ended", { reason });
          });
          recheck = setInterval(() => {
            void (async () => {
              const again = await currentActor(socket);
              await authorizeBrowserPublish(db, again, publicId, now());
            })().catch((error: unknown) => {
              const reply = refusal(socket, error);
              socket.emit("publish:ended", { reason: "refused", message: reply.ok ? undefined : reply.message });
              stop("refused");
            });
          }, this.deps.recheckMs ?? RECHECK_MS);
          recheck.unref();
          log.info({ stream: publicId, videoCodec, userId: actor?.userId }, "browser go-live started");
          ack({ ok: true, videoCodec });
        } catch (error) {
          ack(refusal(socket, error));
        }
      });

      socket.on("publish:chunk", (chunk) => {
        if (!session || session.stopping) return;
        if (!(chunk instanceof Buffer) && !(chunk instanceof ArrayBuffer) && !ArrayBuffer.isView(chunk)) return;
        const data = Buffer.from(chunk);
        const stdin = session.ffmpeg.stdin;
        if (!stdin || stdin.destroyed) return;
        session.pending += data.length;
        if (session.pending > MAX_PENDING_BYTES) {
          socket.emit("publish:ended", { reason: "slow" });
          stop("slow");
          return;
        }
        const current = session;
        stdin.write(data, () => (current.pending -= data.length));
      });

      socket.on("publish:stop", (ack) => {
        stop("stopped");
        if (typeof ack === "function") ack({ ok: true });
      });
      socket.on("disconnect", () => stop("disconnected"));
    });
    return nsp;
  }

  private startSession(
    publicId: string,
    ticket: string,
    socketId: string,
    videoCodec: "h264" | "other",
    onEnd: (reason: "ended" | "failed") => void,
  ): Session {
    const { ingest, log, ffmpegBin } = this.deps;
    const url = `rtmp://127.0.0.1:${ingest.rtmpPort}/live/${publicId}?key=${ticket}`;
    const ffmpeg = spawn(ffmpegBin, browserIngestArgs(url, videoCodec), { stdio: ["pipe", "ignore", "pipe"] });
    const session: Session = { publicId, socketId, ffmpeg, pending: 0, stopping: false };
    this.sessions.set(publicId, session);
    let stderr = "";
    ffmpeg.stderr?.on("data", (chunk) => (stderr = (stderr + chunk).slice(-2000)));
    ffmpeg.stdin?.on("error", () => {}); // ffmpeg gone: its exit handler reports it
    ffmpeg.once("error", (error) => log.error({ err: error, stream: publicId }, "could not start ffmpeg"));
    ffmpeg.once("close", (code, signal) => {
      if (this.sessions.get(publicId) === session) this.sessions.delete(publicId);
      this.tickets
        .drop(publicId, ticket)
        .catch((error: unknown) => log.warn({ err: error }, "dropping a ticket failed"));
      // The ticket is in the URL ffmpeg prints in its errors: keep it out of the log.
      const detail = stderr.replaceAll(ticket, "…").trim();
      log.info({ stream: publicId, code, signal, stderr: detail || undefined }, "browser go-live ffmpeg exited");
      if (!session.stopping) onEnd(code === 0 ? "ended" : "failed");
    });
    return session;
  }

  /** Ends the upload: ffmpeg finishes what it has, then is stopped if it lingers. */
  private stopSession(session: Session, reason: string) {
    if (session.stopping) return;
    session.stopping = true;
    this.deps.log.info({ stream: session.publicId, reason }, "browser go-live stopping");
    session.ffmpeg.stdin?.end();
    const term = setTimeout(() => session.ffmpeg.kill("SIGTERM"), 3000);
    const kill = setTimeout(() => session.ffmpeg.kill("SIGKILL"), 8000);
    term.unref();
    kill.unref();
    session.ffmpeg.once("close", () => {
      clearTimeout(term);
      clearTimeout(kill);
    });
  }

  /** Stops every browser go-live of this process (at shutdown). */
  stopAll() {
    for (const session of this.sessions.values()) this.stopSession(session, "shutdown");
  }
}
