import type { NextFunction, Request, Response } from "express";
import type { Database } from "../../db/client";
import { followDirectoryVersion } from "./directory-version.server";
import type { Logger } from "./log.server";

/**
 * A micro-cache of whole pages for visitors who are not signed in, on pages that depend only on
 * the directory (the list, the map, the home page). An entry is valid for the directory version it
 * was rendered at (triggers bump it on every write, see migration `directory_cache_triggers`) and
 * the minute (open-now changes by the minute). A hit gets this response's CSP nonce and request id
 * written in, so no two responses share a nonce.
 *
 * The version is kept in memory (./directory-version.server.ts): the trigger that bumps it also
 * notifies `xq_directory`. Until listening works (or if it cannot), every request reads the
 * version from the database, as a hit did before.
 */
interface Entry {
  status: number;
  headers: [string, string][];
  /**
   * The page's bytes, as they were sent: kept outside V8's heap, and a hit is a copy with this
   * response's nonce and request id written over the old ones, where a page kept as a string was
   * split and joined twice and encoded again on every hit (docs/decisions/058).
   */
  body: Buffer;
  /** Where the nonce and the request id it was rendered with stand in `body`. */
  nonceAt: number[];
  requestIdAt: number[];
  nonce: string;
  requestId: string;
  version: number;
}

/** Every offset of `token` in `body`. */
function offsetsOf(body: Buffer, token: string): number[] {
  const offsets: number[] = [];
  if (!token) return offsets;
  for (let at = body.indexOf(token); at !== -1; at = body.indexOf(token, at + token.length)) offsets.push(at);
  return offsets;
}

/**
 * The stored page with this response's nonce and request id written in (both ASCII, each always
 * of one length: a copy with the bytes overwritten in place), or undefined if a length differs.
 */
function personalised(hit: Entry, nonce: string, requestId: string): Buffer | undefined {
  if (nonce.length !== hit.nonce.length || requestId.length !== hit.requestId.length) return undefined;
  const body = Buffer.from(hit.body);
  for (const at of hit.nonceAt) body.write(nonce, at, "latin1");
  for (const at of hit.requestIdAt) body.write(requestId, at, "latin1");
  return body;
}

const cacheable = /^\/(shops|map)?$/;
const maxEntries = 300;
const keptHeaders = new Set(["content-type", "cache-control", "vary", "link"]);

export function pageCache(database: Pick<Database, "db" | "listen">, log: Logger) {
  const entries = new Map<string, Entry>();
  const directory = followDirectoryVersion(database, log);
  directory.onChange(() => entries.clear());

  return async function pageCacheMiddleware(req: Request, res: Response, next: NextFunction) {
    if (
      req.method !== "GET" ||
      !cacheable.test(req.path) ||
      /(^|;\s*)(xq_session|xq_cart)=/.test(req.headers.cookie ?? "")
    )
      return next();
    let current = directory.current();
    if (current === undefined) {
      try {
        current = await directory.read();
        if (current === undefined) return next();
      } catch {
        return next();
      }
    }
    const locale = /(?:^|;\s*)xq_locale=en\b/.test(req.headers.cookie ?? "") ? "en" : "zh-CN";
    // Open-now changes by the minute: one key per minute (the epoch minute; no time-zone work per hit).
    const key = `${locale} ${Math.floor(Date.now() / 60_000)} ${req.originalUrl}`;
    const nonce = res.locals.cspNonce as string;
    const requestId = res.locals.requestId as string;
    const hit = entries.get(key);
    if (hit && hit.version === current) {
      for (const [name, value] of hit.headers) res.setHeader(name, value);
      res.setHeader("X-Page-Cache", "hit");
      // res.end, not res.send: an ETag of a page whose nonce changes every time would never match.
      const body =
        personalised(hit, nonce, requestId) ??
        hit.body.toString("utf8").split(hit.nonce).join(nonce).split(hit.requestId).join(requestId);
      res.statusCode = hit.status;
      res.setHeader("Content-Length", Buffer.byteLength(body));
      res.end(body);
      return;
    }
    const chunks: Buffer[] = [];
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (chunk) chunks.push(Buffer.from(chunk as Buffer));
      return write(chunk, ...rest);
    }) as typeof res.write;
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      if (chunk && typeof chunk !== "function") chunks.push(Buffer.from(chunk as Buffer));
      if (
        res.statusCode === 200 &&
        !res.getHeader("set-cookie") &&
        String(res.getHeader("content-type") ?? "").startsWith("text/html")
      ) {
        const headers = Object.entries(res.getHeaders())
          .filter(([name]) => keptHeaders.has(name))
          .map(([name, value]) => [name, String(value)] as [string, string]);
        const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
        // Stored under the version read before rendering: a write meanwhile makes it a miss, never stale.
        entries.set(key, {
          status: 200,
          headers,
          body,
          nonceAt: offsetsOf(body, nonce),
          requestIdAt: offsetsOf(body, requestId),
          nonce,
          requestId,
          version: current,
        });
        if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
      }
      return end(chunk, ...rest);
    }) as typeof res.end;
    next();
  };
}
