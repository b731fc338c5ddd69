import type { Writable } from "node:stream";
import type { AppLoadContext, EntryContext, HandleErrorFunction } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { NonceProvider } from "./components/nonce";
import { RequestIdProvider } from "./components/request-id";
import { loadLocale } from "./i18n/i18n";
import { installRememberingMatchRoutes } from "./lib/route-matching.server";

await loadLocale("en");
// Remix matches the same ~80 routes several times per request; remembered (docs/decisions/033).
installRememberingMatchRoutes();

export const streamTimeout = 5_000;

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const waitForAll = isbot(request.headers.get("user-agent") ?? "");
  const nonce = loadContext.nonce;
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RequestIdProvider value={loadContext.requestId}>
          <RemixServer context={remixContext} url={request.url} abortDelay={streamTimeout} nonce={nonce} />
        </RequestIdProvider>
      </NonceProvider>,
      {
        nonce,
        [waitForAll ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          // No page streams anything that is not ready (no Suspense, no deferred data), so the
          // page is sent as one piece once React has written it: React writes it in ~2 KB
          // pieces, and each went through a web stream and a socket write of its own.
          const status = responseStatusCode;
          pipe(
            pageSink(
              (body) => {
                clearTimeout(timer);
                resolve(new Response(body, { headers: responseHeaders, status }));
              },
              (error) => {
                clearTimeout(timer);
                reject(error);
              },
            ),
          );
        },
        onShellError(error: unknown) {
          clearTimeout(timer);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) loadContext.log.error({ err: error, requestId: loadContext.requestId }, "render error");
        },
      },
    );
    // A render that never finishes is ended; one that finished needs no timer (a timer per page
    // kept every page's closures alive for six seconds).
    const timer = setTimeout(abort, streamTimeout + 1000);
  });
}

/**
 * Where React writes a page: its pieces, kept until React ends the page, then handed over as
 * one body. A stream.PassThrough did the same with a stream's machinery around each piece, and
 * React's "close" listener on it tried to end it again after the page was sent, which made Node
 * build an ERR_STREAM_ALREADY_FINISHED error, stack and all, for every page (docs/decisions/048).
 * React only writes, ends, destroys on a fatal error, and listens for drain, error and close,
 * which a list in memory never emits.
 */
function pageSink(onEnd: (body: Buffer<ArrayBuffer>) => void, onError: (error: unknown) => void): Writable {
  const pieces: Uint8Array[] = [];
  let done = false;
  const sink = {
    write(piece: Uint8Array) {
      if (!done) pieces.push(piece);
      return true;
    },
    end() {
      if (done) return sink;
      done = true;
      onEnd(Buffer.concat(pieces));
      return sink;
    },
    destroy(error?: unknown) {
      if (done) return sink;
      done = true;
      onError(error ?? new Error("page render destroyed"));
      return sink;
    },
    on: () => sink,
  };
  return sink as unknown as Writable;
}

/** Every unexpected server error is logged once, with the request id the 500 page shows. */
export const handleError: HandleErrorFunction = (error, { request, context }) => {
  if (request.signal.aborted) return;
  context.log.error(
    { err: error, requestId: context.requestId, method: request.method, url: new URL(request.url).pathname },
    "unexpected server error",
  );
};
