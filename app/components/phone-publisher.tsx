import { useEffect, useRef, useState } from "react";
import { useTranslation } from "~/i18n/react";
import type { Socket } from "socket.io-client";
import {
  BROWSER_PUBLISH_MIME_TYPES,
  BROWSER_PUBLISH_NAMESPACE,
  type BrowserPublishReply,
} from "../../livestream/ingest/browser-protocol";

type Phase =
  | { name: "idle" }
  | { name: "starting" }
  | { name: "connecting" }
  | { name: "live"; codec: string; startedAt: number }
  | { name: "stopped" }
  | { name: "error"; message: string };

interface Running {
  stream: MediaStream;
  recorder: MediaRecorder | null;
  socket: Socket | null;
}

/**
 * "Go live from this phone" (docs/decisions/024): the camera and microphone are recorded with
 * MediaRecorder (H.264 where the browser has it) and sent, chunk by chunk, over the site's own
 * socket.io namespace `/publish`; the server checks the booking and runs the encoder that pushes
 * into the studio. The stream key never reaches this page.
 */
export function PhonePublisher({ publicId }: { publicId: string }) {
  const { t } = useTranslation();
  const [phase, setPhase] = useState<Phase>({ name: "idle" });
  const [facing, setFacing] = useState<"user" | "environment">("user");
  const preview = useRef<HTMLVideoElement>(null);
  const running = useRef<Running | null>(null);

  const teardown = (socketToo: boolean) => {
    const current = running.current;
    if (!current) return;
    running.current = null;
    if (current.recorder && current.recorder.state !== "inactive") current.recorder.stop();
    current.stream.getTracks().forEach((track) => track.stop());
    if (socketToo && current.socket) {
      current.socket.emit("publish:stop");
      current.socket.disconnect();
    }
    if (preview.current) preview.current.srcObject = null;
  };
  useEffect(() => () => teardown(true), []);

  const fail = (message: string) => {
    teardown(true);
    setPhase({ name: "error", message });
  };

  const start = async () => {
    if (!window.isSecureContext || !navigator.mediaDevices?.getUserMedia)
      return fail(t("studio.goLive.browser.insecure"));
    const mimeType =
      typeof MediaRecorder === "undefined"
        ? undefined
        : BROWSER_PUBLISH_MIME_TYPES.find((type) => MediaRecorder.isTypeSupported(type));
    if (!mimeType) return fail(t("studio.goLive.browser.unsupported"));
    setPhase({ name: "starting" });
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        // Portrait, as phones are held for live selling; the browser gives the nearest it has.
        video: { facingMode: facing, width: { ideal: 720 }, height: { ideal: 1280 }, frameRate: { ideal: 30 } },
        audio: { echoCancellation: true, noiseSuppression: true },
      });
    } catch {
      return fail(t("studio.goLive.browser.noCamera"));
    }
    running.current = { stream, recorder: null, socket: null };
    if (preview.current) {
      preview.current.srcObject = stream;
      void preview.current.play().catch(() => {});
    }
    setPhase({ name: "connecting" });
    const { io } = await import("socket.io-client");
    if (running.current?.stream !== stream) return;
    const socket = io(BROWSER_PUBLISH_NAMESPACE, { transports: ["websocket"], reconnection: false });
    running.current.socket = socket;
    socket.on("connect_error", () => fail(t("studio.goLive.browser.lost")));
    socket.on("publish:ended", ({ reason, message }: { reason: string; message?: string }) => {
      teardown(true);
      setPhase(
        reason === "ended"
          ? { name: "stopped" }
          : { name: "error", message: message ?? t("studio.goLive.browser.lost") },
      );
    });
    socket.on("disconnect", () => {
      if (running.current?.socket === socket) fail(t("studio.goLive.browser.lost"));
    });
    socket.on("connect", () => {
      socket.emit("publish:start", { publicId, mimeType }, (reply: BrowserPublishReply) => {
        if (running.current?.socket !== socket) return;
        if (!reply.ok) return fail(reply.message);
        const recorder = new MediaRecorder(stream, {
          mimeType,
          videoBitsPerSecond: 2_000_000,
          audioBitsPerSecond: 128_000,
          // A keyframe every second, so the studio can cut 1-second fragments without re-encoding
          // (where the browser supports it; otherwise the server's encoder is used).
          videoKeyFrameIntervalDuration: 1000,
        } as MediaRecorderOptions);
        running.current.recorder = recorder;
        // Chunks must reach the server in order: each waits for the one before.
        let queue = Promise.resolve();
        recorder.ondataavailable = (event) => {
          if (event.data.size === 0) return;
          queue = queue.then(async () => {
            const buffer = await event.data.arrayBuffer();
            if (socket.connected) socket.emit("publish:chunk", buffer);
          });
        };
        recorder.start(250);
        const startedAt = Date.now();
        setPhase({
          startedAt,
          name: "live",
          codec: /avc1|h264/.test(mimeType) ? "H.264" : mimeType.includes("vp9") ? "VP9" : "VP8",
        });
      });
    });
  };

  const stop = () => {
    teardown(true);
    setPhase({ name: "stopped" });
  };

  const busy = phase.name === "starting" || phase.name === "connecting" || phase.name === "live";
  return (
    <div
      className="card stack phone-publisher"
      data-testid="phone-publisher"
      data-phase={phase.name}
      // When recording began (the stream's timestamp 0), for the latency benchmark.
      data-started-at={phase.name === "live" ? phase.startedAt : undefined}
    >
      <h2>{t("studio.goLive.browser.title")}</h2>
      <p className="muted">{t("studio.goLive.browser.intro")}</p>
      {phase.name === "error" ? (
        <p className="form-errors" role="alert" data-testid="phone-publisher-error">
          {phase.message}
        </p>
      ) : null}
      <p role="status" data-testid="phone-publisher-status">
        {phase.name === "starting"
          ? t("studio.goLive.browser.starting")
          : phase.name === "connecting"
            ? t("studio.goLive.browser.connecting")
            : phase.name === "live"
              ? t("studio.goLive.browser.live", { codec: phase.codec })
              : phase.name === "stopped"
                ? t("studio.goLive.browser.stopped")
                : null}
      </p>
      {busy ? (
        <button type="button" className="button" onClick={stop}>
          {t("studio.goLive.browser.stop")}
        </button>
      ) : (
        <div className="field-row">
          <button type="button" className="button" onClick={() => void start()}>
            {t("studio.goLive.browser.start")}
          </button>
          <button
            type="button"
            className="button"
            data-testid="phone-camera"
            onClick={() => setFacing((f) => (f === "user" ? "environment" : "user"))}
          >
            {facing === "user" ? t("studio.goLive.browser.useBackCamera") : t("studio.goLive.browser.useFrontCamera")}
          </button>
        </div>
      )}
      <video
        ref={preview}
        className="phone-publisher__preview"
        data-testid="phone-preview"
        hidden={!busy}
        muted
        playsInline
        autoPlay
      />
    </div>
  );
}
