import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActionFunction } from "@remix-run/node";
import type { Database } from "../../db/client";
import { userRoles } from "../../db/schema";
import { DEMO_USERS } from "../../db/seed/demo";
import { loadUser } from "~/domain/accounts/accounts.server";
import { createAuth } from "~/domain/accounts/auth.server";
import { guard } from "~/lib/bad-input.server";
import { loadEnv } from "~/lib/env.server";
import { createSmsSender } from "~/lib/sms.server";
import { createLogger } from "~/lib/log.server";
import type { Ingest } from "../../livestream/ingest/supervisor";
import { openTestDatabase } from "../helpers/db";

/**
 * Issue 17, item 11: every route module's action receives malformed bodies (wrong types, oversize
 * fields, NUL and control characters, unknown intents, huge ids) from a signed-in user who is both
 * the administrator and a shop's owner (so permission checks let the input through to the rules).
 * Each must answer below 500, as the production server does (its loaders and actions run under the
 * same bad-input guard), and write nothing: every table's contents hash the same before and after.
 */
let database: Database;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "xq-fuzz-"));
beforeAll(async () => {
  process.env.XQ_DATA_DIR = dataDir;
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const routesDir = path.resolve("app/routes");
const routeFiles = fs
  .readdirSync(routesDir)
  .filter((f) => /\.tsx?$/.test(f))
  .filter((f) =>
    /export (async )?function action|export const action/.test(fs.readFileSync(path.join(routesDir, f), "utf8")),
  );

/** The URL path of a route file, its params filled with `value`. */
function urlPath(file: string, value: string): { path: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  const segments = file
    .replace(/\.tsx?$/, "")
    .split(".")
    .filter((s) => s !== "_index")
    .map((s) => s.replace(/_$/, ""))
    .map((s) => {
      if (s.startsWith("$")) {
        params[s.slice(1)] = value;
        return value;
      }
      return s === "$" ? "x" : s;
    });
  return { path: "/" + segments.filter((s) => s !== "_index").join("/"), params };
}

/** Field names and intents the route's own source names. */
function fieldsOf(source: string) {
  const names = new Set<string>(["intent", "id"]);
  for (const m of source.matchAll(/name="([A-Za-z_][\w.]*)"/g)) names.add(m[1]);
  for (const m of source.matchAll(/\.get(?:All)?\("([A-Za-z_][\w.]*)"\)/g)) names.add(m[1]);
  for (const m of source.matchAll(/form\.([A-Za-z_]\w*)\b/g))
    if (!/^(get|getAll|has|entries)$/.test(m[1])) names.add(m[1]);
  const intents = new Set<string>();
  for (const m of source.matchAll(/name="intent"\s+value="([\w-]+)"/g)) intents.add(m[1]);
  for (const m of source.matchAll(/case "([\w-]+)":/g)) intents.add(m[1]);
  for (const m of source.matchAll(/intent(?:"\))? === "([\w-]+)"/g)) intents.add(m[1]);
  return { names: [...names], intents: [...intents, "__fuzz__"] };
}

const control = "a\u0000b\u0007c\u001b[31m\r\n\u2028";
const payloads: [string, (name: string) => string][] = [
  ["NUL and control characters", () => control],
  ["wrong types", (name) => (/id$/i.test(name) ? "abc" : name === "quantity" ? "-3.5" : "[object Object]")],
  ["huge ids and numbers", () => "99999999999999999999"],
  ["just above 2^31", () => "2147483648"],
  ["oversize fields", () => "界".repeat(60_000)],
];

/** PGlite answers `{ rows }`, postgres.js an array of rows. */
const rowsOf = <T>(result: unknown): T[] => (result as { rows?: T[] }).rows ?? (result as T[]);

async function tableHashes(): Promise<Record<string, string>> {
  const db = database.db;
  const tables = rowsOf<{ table_name: string }>(
    await db.execute(
      sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
    ),
  );
  const names = tables.map((r) => r.table_name).filter((t) => !["sessions", "__drizzle_migrations"].includes(t));
  const out: Record<string, string> = {};
  for (const name of names) {
    const result = rowsOf<{ h: string }>(
      await db.execute(
        sql.raw(
          `select count(*)::text || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '') as h from "${name}" t`,
        ),
      ),
    );
    out[name] = result[0].h;
  }
  return out;
}

/** The status of a `data(...)` result (Remix's DataWithResponseInit), if it names one. */
const statusOf = (value: unknown) => (value as { init?: { status?: number } } | null)?.init?.status;

const ingest: Ingest = {
  online: () => false,
  rtmpPort: 1935,
  hlsDir: dataDir,
  callbackToken: "fuzz",
  streamStats: () => Promise.resolve(null),
};

describe("every route's action under malformed input", () => {
  it.each(routeFiles)("%s answers below 500 and writes nothing", { timeout: 240_000 }, async (file) => {
    const db = database.db;
    const userId = DEMO_USERS.shopOwner.id;
    await db.insert(userRoles).values({ userId, role: "admin" }).onConflictDoNothing();
    const actor = await loadUser(db, userId);
    const auth = createAuth(db, { secure: false });
    const session = await auth.createSession(userId, {});
    const cookie = auth.createSessionCookie(session.id).serialize().split(";")[0];
    const module = (await import(/* @vite-ignore */ path.join(routesDir, file))) as { action: ActionFunction };
    const action = guard(module.action);
    const source = fs.readFileSync(path.join(routesDir, file), "utf8");
    const { names, intents } = fieldsOf(source);
    const multipart = /parseUpload|multipart/.test(source);
    const failures: string[] = [];
    const written: string[] = [];
    for (const paramValue of ["1", "S0001", "99999999999", "a\u0000b"]) {
      const { path: urlPathname, params } = urlPath(file, paramValue);
      for (const intent of intents) {
        for (const [label, value] of payloads) {
          // Writes are watched where no request could be valid: every field holds a NUL (no text
          // column stores one, no number parses) and the URL names no real record.
          const watched = label === payloads[0][0] && !/^(1|S0001)$/.test(paramValue);
          const before = watched ? await tableHashes() : null;
          const fields: [string, string][] = names.map((n) => [n, n === "intent" ? intent : value(n)]);
          let body: BodyInit;
          const headers: Record<string, string> = { cookie, origin: "http://localhost" };
          if (multipart) {
            const form = new FormData();
            for (const [k, v] of fields) form.append(k, v);
            form.append("photos", new Blob([control]), 'x="y".jpg');
            form.append("photo", new Blob([control]), "z.png");
            form.append("file", new Blob([control]), "roster.csv");
            body = form;
          } else {
            body = new URLSearchParams(fields).toString();
            headers["content-type"] = "application/x-www-form-urlencoded";
          }
          const request = new Request(`http://localhost${encodeURI(urlPathname)}?redirectTo=%0a`, {
            method: "POST",
            headers,
            body,
          });
          const context = {
            db,
            auth,
            actor,
            sessionId: session.id,
            clientIp: "192.0.2.1",
            locale: "zh-CN" as const,
            nonce: "n",
            requestId: "fuzz",
            log: createLogger("silent"),
            env: loadEnv({ NODE_ENV: "test" }),
            ingest,
            sms: {
              sender: createSmsSender(loadEnv({ NODE_ENV: "test" })),
              limits: { perPhonePerDay: 10, perIpPerDay: 30 },
            },
          };
          const asked = `${label} intent=${intent} param=${JSON.stringify(paramValue)}`;
          let status: number;
          let thrown: unknown = null;
          try {
            const result = await action({ request, params, context });
            status = result instanceof Response ? result.status : (statusOf(result) ?? 200);
          } catch (error) {
            thrown = error;
            status = error instanceof Response ? error.status : (statusOf(error) ?? 500);
          }
          if (status >= 500) failures.push(`${asked}: ${thrown ? String(thrown) : `status ${status}`}`);
          if (before) {
            const after = await tableHashes();
            const changed = Object.keys(after).filter((t) => after[t] !== before[t]);
            if (changed.length > 0) written.push(`${asked} wrote ${changed.join(", ")}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(written).toEqual([]);
  });
});
