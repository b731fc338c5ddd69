/**
 * The one process: Remix and socket.io on one HTTP server. Development runs Vite in middleware
 * mode inside it; production serves the build. State lives in Postgres, never in this process.
 */
import "./app/context";
import { randomBytes } from "node:crypto";
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import helmet from "helmet";
import { dataDir, migrateDatabase, openConfiguredDatabase, type Database } from "./db/client";
import { seedDistrict } from "./db/seed";
import { actorFromCookie } from "./app/domain/accounts/session.server";
import { createAuth } from "./app/domain/accounts/auth.server";
import { createI18n, loadLocale } from "./app/i18n/i18n";
import { localeFromCookieHeader } from "./app/i18n/locale.server";
import { loadEnv } from "./app/lib/env.server";
import { createLogger } from "./app/lib/log.server";
import { isCrossSiteWrite } from "./app/lib/same-origin.server";
import { pageCache } from "./app/lib/page-cache.server";
import { attachGateway } from "./livestream/gateway";
import { connectRedis, redactedRedisUrl, type RedisClient } from "./livestream/redis";
import { hlsFiles, rtmpCallbacks } from "./livestream/ingest/http";
import { IngestSupervisor } from "./livestream/ingest/supervisor";
import { backgroundJobs } from "./app/domain/jobs/jobs.server";
import { startJobRunner } from "./app/domain/jobs/runner.server";

const startedAt = performance.now();
await loadLocale("en");
const env = loadEnv();
const log = createLogger(env.LOG_LEVEL);

async function openDatabase(): Promise<Database> {
  const database = await openConfiguredDatabase();
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

const database = await openDatabase();
const auth = createAuth(database.db, { secure: env.cookieSecure });
const ingest = new IngestSupervisor({
  dataDir: dataDir(),
  rtmpPort: env.RTMP_PORT,
  statsPort: env.RTMP_STATS_PORT,
  nginxBin: env.NGINX_BIN,
  rtmpModule: env.NGINX_RTMP_MODULE,
  log,
});

const app = express();
app.disable("x-powered-by");
const httpServer = http.createServer(app);

app.use((req, res, next) => {
  res.locals.requestId = randomBytes(6).toString("hex");
  res.locals.cspNonce = randomBytes(16).toString("base64");
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
            "connect-src": ["'self'", "ws:", "wss:"],
            "font-src": ["'self'"],
            "object-src": ["'none'"],
            "base-uri": ["'self'"],
            "form-action": ["'self'"],
            "frame-ancestors": ["'none'"],
          },
        }
      : false,
    crossOriginEmbedderPolicy: false,
    strictTransportSecurity: env.isProduction && env.cookieSecure ? undefined : false,
    referrerPolicy: { policy: "strict-origin-when-cross-origin" },
  }),
);

// Webhooks and the media server's callbacks are not browser forms; they prove themselves otherwise.
const crossSiteExempt = [/^\/api\/stripe\/webhook$/, /^\/internal\//];
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

// The studio: nginx-rtmp's callbacks and the HLS files it writes.
app.use(rtmpCallbacks({ db: database.db, ingest, log }));
app.use(hlsFiles({ db: database.db, ingest }));

let build: ServerBuild | (() => Promise<ServerBuild>);
const vite = env.isProduction
  ? undefined
  : await import("vite").then((v) =>
      v.createServer({ server: { middlewareMode: true, hmr: { server: httpServer } }, appType: "custom" }),
    );
if (vite) {
  app.use(vite.middlewares);
  build = () => vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>;
} else {
  const buildDir = path.resolve(process.cwd(), "build");
  app.use("/assets", express.static(path.join(buildDir, "client/assets"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(buildDir, "client"), { maxAge: "1h" }));
  build = (await import(pathToFileURL(path.join(buildDir, "server/index.js")).href)) as ServerBuild;
}

app.all(
  "*",
  createRequestHandler({
    build,
    mode: env.isProduction ? "production" : "development",
    getLoadContext: async (req, res) => {
      const session = await actorFromCookie(database.db, auth, req.headers.cookie);
      if (session.setCookie) res.append("Set-Cookie", session.setCookie);
      return {
        db: database.db,
        auth,
        actor: session.actor,
        sessionId: session.sessionId,
        locale: localeFromCookieHeader(req.headers.cookie),
        nonce: res.locals.cspNonce as string,
        requestId: res.locals.requestId as string,
        log,
        env,
        ingest,
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
const io = attachGateway(httpServer, {
  db: database.db,
  auth,
  log,
  redis: redis && { client: redis, prefix: env.REDIS_PREFIX },
});
// Every background job (settling votes and elections, escalating disputes, cleaning roster
// uploads) runs from this one scheduler; /admin shows each one's last run (docs/decisions/019).
const jobs = startJobRunner(database.db, log, backgroundJobs);

httpServer.listen(env.PORT, env.HOST, () => {
  const address = httpServer.address();
  const port = typeof address === "object" && address ? address.port : env.PORT;
  log.info(
    {
      port,
      db: database.kind,
      socketAdapter: redis ? "redis-streams" : "memory",
      startupMs: Math.round(performance.now() - startedAt),
    },
    `listening on http://localhost:${port}`,
  );
  ingest.start(port);
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
