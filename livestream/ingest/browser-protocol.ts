/**
 * The wire protocol of a browser go-live (docs/decisions/024), shared by the go-live page and
 * the server; no server imports.
 *
 * The page connects to the socket.io namespace `/publish` (same origin, the session cookie),
 * asks `publish:start` for one booking with the MediaRecorder's mimeType, and once the answer is
 * `{ ok: true }` sends each recorded chunk as a binary `publish:chunk`, in order. `publish:stop`
 * (or closing the socket) ends the upload; `publish:ended` tells the page the server stopped it.
 */
export const BROWSER_PUBLISH_NAMESPACE = "/publish";

export interface BrowserPublishStart {
  publicId: string;
  /** MediaRecorder's mimeType, e.g. `video/webm;codecs=h264,opus`. */
  mimeType: string;
}

export type BrowserPublishReply =
  { ok: true; videoCodec?: "h264" | "other" } | { ok: false; error: string; message: string };

export interface BrowserPublishClientEvents {
  "publish:start": (payload: BrowserPublishStart, ack: (reply: BrowserPublishReply) => void) => void;
  "publish:chunk": (chunk: ArrayBuffer) => void;
  "publish:stop": (ack?: (reply: BrowserPublishReply) => void) => void;
}

export interface BrowserPublishServerEvents {
  /**
   * The server ended the upload: the studio stopped taking it (`ended`: the slot's cut-off;
   * `failed`), the upload outran the encoder (`slow`), or a recheck refused it (`refused`, with the
   * refusal's message in the page's language).
   */
  "publish:ended": (payload: { reason: "ended" | "failed" | "slow" | "refused"; message?: string }) => void;
}

/** The mimeTypes the page tries, best first: H.264 is copied, the others are encoded. */
export const BROWSER_PUBLISH_MIME_TYPES = [
  "video/x-matroska;codecs=avc1,opus",
  "video/webm;codecs=h264,opus",
  "video/webm;codecs=vp8,opus",
  "video/webm;codecs=vp9,opus",
  "video/webm",
];
