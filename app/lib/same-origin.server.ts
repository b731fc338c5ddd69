/**
 * Refuses cross-site state changes (CSRF): a browser names where a request comes from in
 * Sec-Fetch-Site and Origin. Requests without either do not come from a browser page.
 */
export function isCrossSiteWrite(method: string, headers: Record<string, string | string[] | undefined>): boolean {
  if (method === "GET" || method === "HEAD" || method === "OPTIONS") return false;
  const fetchSite = header(headers, "sec-fetch-site");
  if (fetchSite && fetchSite !== "same-origin" && fetchSite !== "none") return true;
  const origin = header(headers, "origin");
  if (!origin) return false;
  if (origin === "null") return true;
  const host = header(headers, "x-forwarded-host") ?? header(headers, "host");
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
