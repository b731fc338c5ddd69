import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from "react";
import { useRevalidator } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import type { Socket } from "socket.io-client";

const SOUND_KEY = "xq.orderBoard.sound";
const SOUND_EVENT = "xq:order-sound";

/** The remembered switch, read from localStorage (off on the server and until the page runs). */
const soundIsOn = () => window.localStorage.getItem(SOUND_KEY) === "on";
function subscribeSound(changed: () => void) {
  window.addEventListener("storage", changed);
  window.addEventListener(SOUND_EVENT, changed);
  return () => {
    window.removeEventListener("storage", changed);
    window.removeEventListener(SOUND_EVENT, changed);
  };
}

/**
 * The order board hears of new orders over a socket.io connection of its own page: it asks to
 * watch the business's orders (the server checks who may) and, on each new order, loads the page's
 * data again, so the board and the bell in the header show it without a reload. socket.io-client
 * is loaded here by a dynamic import, so only this page carries it. Returns whether the server
 * let it watch, and the ids of the orders that came in since the page opened.
 */
export function useNewOrders(businessId: number, onNew: () => void) {
  const revalidator = useRevalidator();
  const [watching, setWatching] = useState(false);
  const [fresh, setFresh] = useState<number[]>([]);
  const onNewRef = useRef(onNew);
  const revalidate = useRef(revalidator.revalidate);
  useEffect(() => {
    onNewRef.current = onNew;
    revalidate.current = revalidator.revalidate;
  });
  useEffect(() => {
    let stopped = false;
    let socket: Socket | undefined;
    void import("socket.io-client").then(({ io }) => {
      if (stopped) return;
      socket = io();
      const watch = () =>
        socket!.emit("orders:watch", businessId, (answer: { ok: boolean }) => setWatching(answer?.ok === true));
      socket.on("connect", watch);
      socket.on("disconnect", () => setWatching(false));
      socket.on("orders:new", (event: { businessId: number; orderId: number }) => {
        if (event.businessId !== businessId) return;
        setFresh((ids) => (ids.includes(event.orderId) ? ids : [...ids, event.orderId]));
        revalidate.current();
        onNewRef.current();
      });
    });
    return () => {
      stopped = true;
      socket?.disconnect();
      setWatching(false);
    };
  }, [businessId]);
  return { watching, fresh };
}

/**
 * The new-order sound, off until the merchant switches it on (remembered in localStorage). A
 * browser plays sound only after a gesture on the page: switching it on is one; when it was
 * remembered "on", the first tap or key on the page wakes it, and until then the page says so.
 */
export function useOrderSound() {
  const on = useSyncExternalStore(subscribeSound, soundIsOn, () => false);
  const [running, setRunning] = useState(false);
  const context = useRef<AudioContext | null>(null);

  const wake = useCallback(() => {
    const AudioContextClass = window.AudioContext;
    if (!AudioContextClass) return;
    context.current ??= new AudioContextClass();
    void context.current.resume().then(() => setRunning(context.current?.state === "running"));
  }, []);

  useEffect(() => {
    if (!on || running) return;
    const first = () => wake();
    window.addEventListener("pointerdown", first, { once: true });
    window.addEventListener("keydown", first, { once: true });
    return () => {
      window.removeEventListener("pointerdown", first);
      window.removeEventListener("keydown", first);
    };
  }, [on, running, wake]);

  const chime = useCallback(() => {
    const audio = context.current;
    if (!audio || audio.state !== "running") return;
    // Two short rising tones: heard over a busy counter, not alarming.
    [0, 0.18].forEach((delay, i) => {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.frequency.value = i === 0 ? 880 : 1320;
      gain.gain.setValueAtTime(0.0001, audio.currentTime + delay);
      gain.gain.exponentialRampToValueAtTime(0.3, audio.currentTime + delay + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + delay + 0.16);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(audio.currentTime + delay);
      oscillator.stop(audio.currentTime + delay + 0.17);
    });
  }, []);

  const toggle = useCallback(() => {
    const next = !on;
    window.localStorage.setItem(SOUND_KEY, next ? "on" : "off");
    window.dispatchEvent(new Event(SOUND_EVENT));
    if (next) {
      wake();
      setTimeout(chime, 50);
    }
  }, [on, wake, chime]);

  return { on, needsTap: on && !running, toggle, play: () => (on ? chime() : undefined) };
}

/** The board's strip: whether new orders arrive live, the sound switch, and the latest new order. */
export function BoardLive({
  watching,
  fresh,
  sound,
}: {
  watching: boolean;
  fresh: number[];
  sound: ReturnType<typeof useOrderSound>;
}) {
  const { t } = useTranslation();
  const latest = fresh.at(-1);
  return (
    <div className="stack">
      <div className="board-tools">
        <span className="small muted" data-testid="board-live" data-live={watching ? "on" : "off"}>
          {watching ? t("market.board.live") : t("market.board.notLive")}
        </span>
        <button
          type="button"
          className="button button--small"
          aria-pressed={sound.on}
          onClick={sound.toggle}
          data-testid="board-sound"
        >
          {sound.on ? t("market.board.soundOn") : t("market.board.soundOff")}
        </button>
      </div>
      {sound.needsTap ? <p className="small muted">{t("market.board.soundNeedsTap")}</p> : null}
      <p className={latest ? "notice-warn" : "visually-hidden"} role="status" data-testid="board-news">
        {latest ? t("market.board.newOrder", { id: latest, count: fresh.length }) : ""}
      </p>
    </div>
  );
}
