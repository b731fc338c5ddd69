import type { Db } from "../db/client";
import type { Actor } from "./domain/accounts/actor";
import type { Auth } from "./domain/accounts/auth.server";
import type { SmsDeps } from "./domain/accounts/sms-codes.server";
import type { Env } from "./lib/env.server";
import type { Logger } from "./lib/log.server";
import type { Locale } from "./i18n/locales";
import type { Ingest } from "../livestream/ingest/supervisor";

/** What server.ts hands every loader and action. */
export interface XinquanContext {
  db: Db;
  auth: Auth;
  actor: Actor;
  sessionId: string | null;
  /** The client's address (a reverse proxy on this host may name it in X-Forwarded-For). */
  clientIp: string;
  locale: Locale;
  nonce: string;
  requestId: string;
  log: Logger;
  env: Env;
  /** Where SMS codes go (Aliyun or the development outbox) and the daily caps. */
  sms: SmsDeps;
  /** The studio's media server (nginx-rtmp): whether it runs, its port, stream statistics. */
  ingest: Ingest;
}

declare module "@remix-run/node" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends XinquanContext {}
}
