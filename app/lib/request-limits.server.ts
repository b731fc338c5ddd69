/**
 * How large a request body each route accepts, decided from the path before a byte of the body is
 * read (docs/decisions/016-request-limits-and-login-throttle.md). Forms are small; the few upload
 * routes allow their files and a little more; everything else gets the form limit.
 */
const KB = 1024;
const MB = 1024 * KB;

/** Text forms: the longest description (a few thousand Chinese characters, %-encoded 9 bytes each). */
export const formBodyLimit = 256 * KB;

/**
 * Upload forms: a file over its own limit (2 MB a photo, 5 MB a roster) is streamed past and
 * dropped by app/lib/uploads.server.ts, and the form comes back with everything typed and the
 * file named (a phone photo is often 3 to 8 MB). So an upload request may be larger than its files
 * may be, up to this: nothing of it is held in memory beyond the files that fit.
 */
const uploadBodyLimit = 32 * MB;

const routeLimits: [RegExp, number][] = [
  // A dispute (up to five photos), a shop or product photo, a roster file.
  [/^\/disputes\/new$/, uploadBodyLimit],
  [/^\/shops\/[^/]+\/edit$/, uploadBodyLimit],
  [/^\/shops\/[^/]+\/complain$/, uploadBodyLimit],
  [/^\/products\/[^/]+\/edit$/, uploadBodyLimit],
  // A review with up to three photos.
  [/^\/shops\/[^/]+\/reviews$/, uploadBodyLimit],
  [/^\/admin\/roster\/?$/, uploadBodyLimit],
  [/^\/csp-report$/, 16 * KB],
];

export function bodyLimitFor(path: string): number {
  // With JavaScript, Remix posts a route's form to `<path>.data` (single fetch): the same route.
  const route = path.endsWith(".data") ? path.slice(0, -".data".length) : path;
  for (const [pattern, limit] of routeLimits) if (pattern.test(route)) return limit;
  return formBodyLimit;
}

export type BodyVerdict = { ok: true } | { ok: false; status: 411 | 413; limit: number };

/**
 * A body is refused when its declared length is over the route's limit, or when it has no declared
 * length at all (chunked): every browser form and upload declares one, and Node never reads past it.
 */
export function checkBody(
  method: string,
  path: string,
  headers: Record<string, string | string[] | undefined>,
): BodyVerdict {
  if (method === "GET" || method === "HEAD" || method === "OPTIONS") return { ok: true };
  const limit = bodyLimitFor(path);
  const length = headers["content-length"];
  const chunked = headers["transfer-encoding"] !== undefined;
  if (typeof length !== "string" || !/^\d+$/.test(length)) {
    return chunked ? { ok: false, status: 411, limit } : { ok: true };
  }
  return Number(length) > limit ? { ok: false, status: 413, limit } : { ok: true };
}

export function formatBytes(bytes: number): string {
  return bytes >= MB ? `${Math.round(bytes / MB)} MB` : `${Math.round(bytes / KB)} KB`;
}
