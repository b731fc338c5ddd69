import { useEffect, useRef, useState } from "react";
import { useTranslation } from "~/i18n/react";

/**
 * Plays an HLS playlist with hls.js, loaded only here (a dynamic import: its own chunk, only on
 * the watch page). Live: tuned for latency (one fragment behind the edge). Replay: plays as VOD.
 */
export function HlsPlayer({
  src,
  live,
  immersive = false,
  onShape,
}: {
  src: string;
  live: boolean;
  /** Full screen on a phone (the watch page's portrait layout): no native controls, a sound button. */
  immersive?: boolean;
  /** Told the picture's shape once it is known (and when it changes). */
  onShape?: (shape: "portrait" | "landscape") => void;
}) {
  const ref = useRef<HTMLVideoElement>(null);
  const [unsupported, setUnsupported] = useState(false);
  const [muted, setMuted] = useState(true);
  const { t } = useTranslation();
  const shapeListener = useRef(onShape);
  useEffect(() => {
    shapeListener.current = onShape;
  }, [onShape]);
  useEffect(() => {
    const video = ref.current;
    if (!video) return;
    const report = () => {
      if (video.videoWidth && video.videoHeight)
        shapeListener.current?.(video.videoHeight > video.videoWidth ? "portrait" : "landscape");
    };
    const onVolume = () => setMuted(video.muted);
    video.addEventListener("loadedmetadata", report);
    video.addEventListener("resize", report);
    video.addEventListener("volumechange", onVolume);
    return () => {
      video.removeEventListener("loadedmetadata", report);
      video.removeEventListener("resize", report);
      video.removeEventListener("volumechange", onVolume);
    };
  }, []);
  useEffect(() => {
    const video = ref.current;
    if (!video) return;
    let stopped = false;
    let hls: import("hls.js").default | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const start = async () => {
      // Right after the encoder connects the playlist takes a second or two to appear.
      while (
        !stopped &&
        !(await fetch(src, { method: "HEAD", cache: "no-store" })
          .then((r) => r.ok)
          .catch(() => false))
      ) {
        await new Promise((r) => setTimeout(r, 1000));
      }
      if (stopped) return;
      const { default: Hls } = await import("hls.js");
      if (stopped) return;
      if (!Hls.isSupported()) {
        if (video.canPlayType("application/vnd.apple.mpegurl")) {
          video.src = src;
          void video.play().catch(() => {});
        } else setUnsupported(true);
        return;
      }
      hls = new Hls({
        // The CSP allows no blob: workers; the main thread copes with one stream.
        enableWorker: false,
        ...(live
          ? {
              liveSyncDurationCount: 1,
              liveMaxLatencyDurationCount: 3,
              maxLiveSyncPlaybackRate: 1.5,
              backBufferLength: 30,
            }
          : { startPosition: 0 }),
      });
      hls.on(Hls.Events.MANIFEST_PARSED, () => void video.play().catch(() => {}));
      hls.on(Hls.Events.ERROR, (_event, data) => {
        if (!data.fatal || !hls) return;
        if (data.type === Hls.ErrorTypes.MEDIA_ERROR) hls.recoverMediaError();
        else {
          hls.destroy();
          hls = null;
          retry = setTimeout(() => void start(), 2000);
        }
      });
      hls.loadSource(src);
      hls.attachMedia(video);
    };
    void start();
    return () => {
      stopped = true;
      clearTimeout(retry);
      hls?.destroy();
    };
  }, [src, live]);
  return (
    <div className={immersive ? "player player--immersive" : "player"}>
      <video ref={ref} data-testid="player" controls={!immersive} muted playsInline autoPlay={live} />
      {immersive ? (
        <button
          type="button"
          className="player__sound"
          data-testid="player-sound"
          onClick={() => {
            const video = ref.current;
            if (!video) return;
            video.muted = !video.muted;
            if (!video.muted) void video.play().catch(() => {});
          }}
        >
          {muted ? t("studio.soundOn") : t("studio.soundOff")}
        </button>
      ) : null}
      {unsupported ? <p className="form-errors">{t("studio.playerUnsupported")}</p> : null}
    </div>
  );
}
