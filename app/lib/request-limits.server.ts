/**
 * How large a request body each route accepts, decided from the path before a byte of the body is
 * read (docs/decisions/016-request-limits-and-login-throttle.md). Forms are small; the few upload
 * routes allow their files and a little more; everything else gets the form limit.
 */
const KB = 1024;
const MB = 1024 * KB;

/** Text forms: the longest description (a few thousand Chinese characters, %-encoded 9 bytes each). */
export const formBodyLimit = 256 * KB;

const routeLimits: [RegExp, number][] = [
  // A dispute: up to five photos of 2 MB each.
  [/^\/disputes\/new$/, 5 * 2 * MB + formBodyLimit],
  // One photo of 2 MB with the profile or product form.
  [/^\/shops\/[^/]+\/edit$/, 2 * MB + formBodyLimit],
  [/^\/products\/[^/]+\/edit$/, 2 * MB + formBodyLimit],
  // A roster file of 5 MB.
  [/^\/admin\/roster\/?$/, 5 * MB + formBodyLimit],
  [/^\/csp-report$/, 16 * KB],
];

export function bodyLimitFor(path: string): number {
  for (const [pattern, limit] of routeLimits) if (pattern.test(path)) return limit;
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
