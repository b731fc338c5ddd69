/**
 * The one process: Remix and socket.io on one HTTP server. Development runs Vite in middleware
 * mode inside it; production serves the build. State lives in Postgres, never in this process.
 */
import "./app/context";
import { fork } from "node:child_process";
import cluster from "node:cluster";
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import helmet from "helmet";
import { dataDir, isNewPglite, migrateDatabase, openConfiguredDatabase, type Database } from "./db/client";
import { seedDistrict } from "./db/seed";
import { actorFromCookie } from "./app/domain/accounts/session.server";
import { createAuth } from "./app/domain/accounts/auth.server";
import { createI18n, loadLocale } from "./app/i18n/i18n";
import { localeFromCookieHeader } from "./app/i18n/locale.server";
import { loadEnv } from "./app/lib/env.server";
import { createLogger } from "./app/lib/log.server";
import { randomBase64, randomHex } from "./app/lib/random-pool.server";
import { createSmsSender } from "./app/lib/sms.server";
import { isCrossSiteWrite } from "./app/lib/same-origin.server";
import { guardBuild } from "./app/lib/bad-input.server";
import { checkBody, formatBytes } from "./app/lib/request-limits.server";
import { pageCache } from "./app/lib/page-cache.server";
import { followDirectoryVersion } from "./app/lib/directory-version.server";
import { attachGateway } from "./livestream/gateway";
import { connectRedis, redactedRedisUrl, type RedisClient } from "./livestream/redis";
import { hlsFiles, rtmpCallbacks } from "./livestream/ingest/http";
import { BrowserIngest } from "./livestream/ingest/browser";
import { redisTickets } from "./livestream/ingest/tickets";
import { ReplayRecorder } from "./livestream/ingest/replay";
import { IngestFollower, IngestSupervisor } from "./livestream/ingest/supervisor";
import { superviseWorkers, workerRole, workersWanted } from "./cluster";
import { backgroundJobs } from "./app/domain/jobs/jobs.server";
import { startJobRunner } from "./app/domain/jobs/runner.server";

const startedAt = performance.now();

/**
 * Features no page of the site uses are off; the map may ask for the visitor's position, the
 * go-live page for the camera and microphone (going live from the phone, docs/decisions/024).
 * Same origin only, and for every page: a policy is fixed when a document loads, and Remix moves
 * between pages without loading a new one (the log-in form lands on the go-live page that way).
 */
const permissionsPolicy =
  "camera=(self), microphone=(self), geolocation=(self), payment=(self), usb=(), midi=(), magnetometer=(), gyroscope=(), accelerometer=()";
const personalPaths =
  /^\/(orders|disputes|account|notifications|desk|cart|admin|me)(\/|$)|^\/shops\/[^/]+\/(orders|payments|edit|products)(\/|$)|^\/products\/[^/]+\/edit$/;

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
/** A page for answers given before Remix runs (413, 411): the reader's language, no script. */
function plainPage(locale: string, title: string, body: string): string {
  return `<!doctype html><html lang="${escapeHtml(locale)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)} · 信圈</title></head><body style="font-family:system-ui,sans-serif;margin:2rem auto;max-width:32rem;padding:0 1rem"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(body)}</p><p><a href="/">信圈 Xinquan</a></p></body></html>`;
}
await loadLocale("en");
const env = loadEnv();
const log = createLogger(env.LOG_LEVEL);

// XQ_WORKERS above 1: this process only supervises the workers, each of which runs this file (cluster.ts).
if (cluster.isPrimary) {
  let workers = 1;
  try {
    workers = workersWanted(process.env.XQ_WORKERS);
  } catch (error) {
    log.fatal({ err: error }, "not starting");
    process.exit(1);
  }
  if (workers > 1) {
    if (!env.DATABASE_URL || !env.REDIS_URL || env.NODE_ENV === "development") {
      log.fatal(
        { workers },
        "XQ_WORKERS above 1 needs DATABASE_URL (a Postgres server), REDIS_URL and a production build; not starting",
      );
      process.exit(1);
    }
    // Migrated and seeded once, here, before any worker opens the database.
    await (await openDatabase()).close();
    process.exit(await superviseWorkers(workers, log));
  }
}
/** One process, or worker `index` of a cluster (the leader runs the jobs and the ingest's nginx). */
const role = workerRole();

/** `thread: false`: PGlite in this process's own thread (the seeding child, docs/decisions/035). */
async function openDatabase(options: { thread?: boolean } = {}): Promise<Database> {
  const database = await openConfiguredDatabase(options);
  database.onFailure?.((error) => {
    log.fatal({ err: error }, "the database thread failed; exiting so that the server can be restarted");
    process.exit(1);
  });
  try {
    await migrateDatabase(database);
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    log.fatal({ err: error, cause: String(cause ?? "") }, "database migration failed; not starting");
    await database.close().catch(() => {});
    process.exit(1);
  }
  const { seeded } = await seedDistrict(database.db);
  if (seeded) log.info("seeded the demo district into an empty database");
  return database;
}

/**
 * `--prepare-database`: migrate and seed, then exit. A first start on PGlite runs this in a child
 * process: creating, migrating and seeding the database grows PGlite's WebAssembly memory and the
 * native heap by a few hundred MB that a process never gives back; the server then opens the
 * prepared folder like any later start (docs/decisions/034).
 */
if (process.argv.includes("--prepare-database")) {
  await (await openDatabase({ thread: false })).close();
  process.exit(0);
}
if (isNewPglite()) {
  const code = await new Promise<number | null>((resolve, reject) =>
    fork(process.argv[1], ["--prepare-database"], { execArgv: process.execArgv })
      .on("error", reject)
      .on("exit", resolve),
  );
  if (code !== 0) {
    log.fatal({ code }, "preparing the new database failed; not starting");
    process.exit(1);
  }
}
const database = await openDatabase();
// The directory's cache version, in memory: the page cache, the directory read cache and the API's
// ETag read it without a query (app/lib/directory-version.server.ts).
followDirectoryVersion(database, log);
const auth = createAuth(database.db, { secure: env.cookieSecure });
const sms = {
  sender: createSmsSender(env, log),
  limits: { perPhonePerDay: env.SMS_DAILY_LIMIT_PER_PHONE, perIpPerDay: env.SMS_DAILY_LIMIT_PER_IP },
};
const ingestOptions = {
  dataDir: dataDir(),
  hlsDir: env.XQ_HLS_DIR,
  rtmpPort: env.RTMP_PORT,
  statsPort: env.RTMP_STATS_PORT,
  nginxBin: env.NGINX_BIN,
  rtmpModule: env.NGINX_RTMP_MODULE,
  log,
  callbackToken: role.ingestToken,
  ladder: env.XQ_TRANSCODE_LADDER ?? false,
  ffmpegBin: env.FFMPEG_BIN,
};
const ingest = role.leader ? new IngestSupervisor(ingestOptions) : new IngestFollower(ingestOptions);
const browserIngest = new BrowserIngest({ db: database.db, auth, log, ingest, ffmpegBin: env.FFMPEG_BIN });

// Shows as sessions: copies fragments into each replay, ends quiet shows, packs and cleans up.
const replays = new ReplayRecorder(
  { db: database.db, hlsDir: ingest.hlsDir, log },
  {
    idleEndMinutes: env.SHOW_IDLE_END_MINUTES,
    keepDays: env.REPLAY_KEEP_DAYS,
    maxBytes: env.REPLAY_MAX_MB * 1_000_000,
  },
);

const app = express();
app.disable("x-powered-by");
// A reverse proxy on this host (nginx in front) names the client in X-Forwarded-For; nobody else may.
app.set("trust proxy", "loopback");
const httpServer = http.createServer(app);

app.use((req, res, next) => {
  res.locals.requestId = randomHex(6);
  res.setHeader("X-Request-Id", res.locals.requestId);
  const began = performance.now();
  res.on("finish", () => {
    if (req.path.startsWith("/assets/")) return;
    log.info(
      {
        requestId: res.locals.requestId,
        method: req.method,
        path: req.path.replace(/^\/internal\/rtmp\/[^/]+/, "/internal/rtmp/…"),
        status: res.statusCode,
        ms: Math.round(performance.now() - began),
      },
      "request",
    );
  });
  next();
});

// HLS playlists and fragments, ahead of everything made for pages (no script nonce, page cache or
// cross-site check: they are read-only files, thousands a second during a show; docs/decisions/041).
app.use(hlsFiles({ db: database.db, ingest }));

app.use((req, res, next) => {
  res.locals.cspNonce = randomBase64(16);
  next();
});

app.use(
  helmet({
    contentSecurityPolicy: env.isProduction
      ? {
          useDefaults: false,
          directives: {
            "default-src": ["'self'"],
            "script-src": ["'self'", (_req, res) => `'nonce-${(res as express.Response).locals.cspNonce}'`],
            "style-src": ["'self'", "'unsafe-inline'"],
            "img-src": ["'self'", "data:", "blob:"],
            "media-src": ["'self'", "blob:"],
            // 'self' covers the site's own ws:/wss: origin (CSP 3); no other host may be reached.
            "connect-src": ["'self'"],
            "font-src": ["'self'"],
            "object-src": ["'none'"],
            "base-uri": ["'self'"],
            "form-action": ["'self'"],
            "frame-ancestors": ["'none'"],
            "report-uri": ["/csp-report"],
          },
        }
      : false,
    crossOriginEmbedderPolicy: false,
    strictTransportSecurity: env.isProduction && env.cookieSecure ? undefined : false,
    referrerPolicy: { policy: "strict-origin-when-cross-origin" },
  }),
);

app.use((req, res, next) => {
  res.setHeader("Permissions-Policy", permissionsPolicy);
  // Personal pages never sit in a shared or back-button cache.
  if (personalPaths.test(req.path)) res.setHeader("Cache-Control", "no-store");
  next();
});

// Bodies are limited per route before a byte is read (app/lib/request-limits.server.ts).
app.use((req, res, next) => {
  const verdict = checkBody(req.method, req.path, req.headers);
  if (verdict.ok) return next();
  const locale = localeFromCookieHeader(req.headers.cookie);
  const t = createI18n(locale).t;
  log.warn(
    { requestId: res.locals.requestId, path: req.path, length: req.headers["content-length"], limit: verdict.limit },
    "refused a request body",
  );
  const [title, body] =
    verdict.status === 413
      ? [t("security.tooLargeTitle"), t("security.tooLargeBody", { limit: formatBytes(verdict.limit) })]
      : [t("security.lengthRequiredTitle"), t("security.lengthRequiredBody")];
  // The body is never parsed: Node discards what the client still sends, chunk by chunk.
  res
    .status(verdict.status)
    .type("text/html; charset=utf-8")
    .send(plainPage(locale, title, body));
});

// Where browsers report what the CSP blocked: logged, nothing stored.
app.post("/csp-report", express.json({ type: () => true, limit: "16kb" }), (req, res) => {
  const body = req.body as Record<string, unknown> | Record<string, unknown>[] | undefined;
  const reports = (Array.isArray(body) ? body : [body]).map((r) => r?.["csp-report"] ?? r?.body ?? r).slice(0, 10);
  log.warn({ requestId: res.locals.requestId, reports }, "csp violation");
  res.status(204).end();
});

// Webhooks and the media server's callbacks are not browser forms; they prove themselves otherwise.
const crossSiteExempt = [/^\/api\/stripe\/webhook$/, /^\/internal\//, /^\/csp-report$/];
app.use((req, res, next) => {
  if (!crossSiteExempt.some((re) => re.test(req.path)) && isCrossSiteWrite(req.method, req.headers)) {
    const t = createI18n(localeFromCookieHeader(req.headers.cookie)).t;
    log.warn(
      { requestId: res.locals.requestId, path: req.path, origin: req.headers.origin },
      "refused a cross-site write",
    );
    res.status(403).type("text/plain; charset=utf-8").send(t("errorPages.crossSite"));
    return;
  }
  next();
});

app.use(compression());

// Whole pages for visitors who are not signed in (before the static files: these paths are never files).
app.use(pageCache(database, log));

// The studio: nginx-rtmp's callbacks (the HLS files it writes are served above).
app.use(rtmpCallbacks({ db: database.db, ingest, log, browser: browserIngest, replays }));

let build: ServerBuild | (() => Promise<ServerBuild>);
// NODE_ENV=test serves the build like production, with development's extras (the SMS outbox page).
const vite =
  env.NODE_ENV !== "development"
    ? undefined
    : await import("vite").then((v) =>
        v.createServer({ server: { middlewareMode: true, hmr: { server: httpServer } }, appType: "custom" }),
      );
if (vite) {
  app.use(vite.middlewares);
  build = async () => guardBuild((await vite.ssrLoadModule("virtual:remix/server-build")) as ServerBuild);
} else {
  const buildDir = path.resolve(process.cwd(), "build");
  app.use("/assets", express.static(path.join(buildDir, "client/assets"), { immutable: true, maxAge: "1y" }));
  // Only a path whose last segment has a dot can name a file of build/client (favicon.svg,
  // og-default.png; the assets are above): pages and the API skip the file lookup it costs.
  const clientFiles = express.static(path.join(buildDir, "client"), { maxAge: "1h" });
  app.use((req, res, next) => (/\.[^/]*$/.test(req.path) ? clientFiles(req, res, next) : next()));
  build = guardBuild((await import(pathToFileURL(path.join(buildDir, "server/index.js")).href)) as ServerBuild);
}

app.all(
  "*",
  createRequestHandler({
    build,
    mode: env.NODE_ENV === "development" ? "development" : "production",
    getLoadContext: async (req, res) => {
      const session = await actorFromCookie(database.db, auth, req.headers.cookie);
      if (session.setCookie) res.append("Set-Cookie", session.setCookie);
      return {
        db: database.db,
        auth,
        actor: session.actor,
        sessionId: session.sessionId,
        clientIp: req.ip ?? req.socket.remoteAddress ?? "",
        locale: localeFromCookieHeader(req.headers.cookie),
        nonce: res.locals.cspNonce as string,
        requestId: res.locals.requestId as string,
        log,
        env,
        ingest,
        sms,
      };
    },
  }),
);

// With REDIS_URL, socket.io rooms are shared with every process on the same Redis (README).
let redis: RedisClient | undefined;
if (env.REDIS_URL) {
  try {
    redis = await connectRedis(env.REDIS_URL, log);
  } catch (error) {
    log.fatal(
      { err: error, redis: redactedRedisUrl(env.REDIS_URL) },
      "REDIS_URL is set but Redis cannot be reached; not starting",
    );
    await database.close().catch(() => {});
    process.exit(1);
  }
}
// In a cluster nginx's publish callback may reach any worker: a browser go-live's one-time ticket
// must be one that every worker can take (livestream/ingest/tickets.ts).
if (redis && role.clustered) browserIngest.shareTickets(redisTickets(redis, env.REDIS_PREFIX));
const io = attachGateway(httpServer, {
  db: database.db,
  auth,
  log,
  redis: redis && { client: redis, prefix: env.REDIS_PREFIX },
  browserIngest,
  websocketOnly: role.clustered,
});
// Every background job (settling votes and elections, escalating disputes, cleaning roster
// uploads) runs from this one scheduler; /admin shows each one's last run (docs/decisions/019).
// In a cluster, worker 1 runs them.
const jobs = role.leader ? startJobRunner(database.db, log, backgroundJobs) : { stop: async () => {} };

httpServer.listen(env.PORT, env.HOST, () => {
  const address = httpServer.address();
  const port = typeof address === "object" && address ? address.port : env.PORT;
  log.info(
    {
      port,
      db: database.kind,
      sms: sms.sender.kind,
      socketAdapter: redis ? "redis-streams" : "memory",
      ...(role.clustered ? { worker: role.index } : {}),
      startupMs: Math.round(performance.now() - startedAt),
    },
    `listening on http://localhost:${port}`,
  );
  ingest.start(port);
  // Replays are copied, packed and cleaned up once, by the worker that runs nginx.
  if (role.leader) replays.start();
});

let shuttingDown = false;
async function shutdown(signal: string) {
  if (shuttingDown) return;
  shuttingDown = true;
  log.info({ signal }, "shutting down: no new connections, finishing requests");
  const force = setTimeout(() => {
    log.warn("requests still open after 10 s; closing anyway");
    process.exit(1);
  }, 10_000);
  force.unref();
  browserIngest.stopAll();
  replays.stop();
  await ingest.stop();
  await new Promise<void>((resolve) => {
    void io.close(() => resolve()); // closes the sockets and the HTTP server
    httpServer.closeIdleConnections();
  });
  await vite?.close();
  await redis?.close().catch((error: unknown) => log.warn({ err: error }, "closing the Redis client failed"));
  await jobs.stop();
  await database.close();
  log.info("stopped");
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
