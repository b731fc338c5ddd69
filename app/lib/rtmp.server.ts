import type { AppLoadContext } from "@remix-run/node";

/** The RTMP server URL an encoder uses: RTMP_PUBLIC_HOST, else the host the page was asked on. */
export function rtmpServerUrl(request: Request, context: AppLoadContext): string {
  const host = context.env.RTMP_PUBLIC_HOST ?? new URL(request.url).hostname;
  return `rtmp://${host}:${context.ingest.rtmpPort}/live`;
}
