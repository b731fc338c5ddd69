import { useEffect, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Socket } from "socket.io-client";
import {
  CHAT_MAX_LENGTH,
  mergeMessages,
  type ChatJoinAck,
  type ChatMessage,
  type ChatSendAck,
} from "../../livestream/chat-protocol";

declare global {
  interface Window {
    /** The live page's one socket, for browser tests (disconnect it to test catching up). */
    __xqLiveSocket?: Socket;
  }
}

/**
 * The watch page's one socket.io connection, shared by the viewer count and the chat.
 * socket.io-client is loaded only here (a dynamic import), so other pages never carry it.
 */
export function useLiveSocket(enabled: boolean): Socket | null {
  const [socket, setSocket] = useState<Socket | null>(null);
  useEffect(() => {
    if (!enabled) return;
    let stopped = false;
    let made: Socket | undefined;
    void import("socket.io-client").then(({ io }) => {
      if (stopped) return;
      made = io();
      window.__xqLiveSocket = made;
      setSocket(made);
    });
    return () => {
      stopped = true;
      made?.disconnect();
      if (window.__xqLiveSocket === made) delete window.__xqLiveSocket;
      setSocket(null);
    };
  }, [enabled]);
  return socket;
}

/** "N watching": asks for the stream's counts on every (re)connection. */
export function useViewerCount(socket: Socket | null, publicId: string, enabled: boolean) {
  const [count, setCount] = useState<number | null>(null);
  useEffect(() => {
    if (!socket || !enabled) return;
    const watch = () => socket.emit("live:watch", publicId);
    const onViewers = (p: { publicId: string; count: number }) => {
      if (p.publicId === publicId) setCount(p.count);
    };
    socket.on("connect", watch);
    socket.on("live:viewers", onViewers);
    if (socket.connected) watch();
    return () => {
      socket.off("connect", watch);
      socket.off("live:viewers", onViewers);
    };
  }, [socket, publicId, enabled]);
  return count;
}

/**
 * The chat's messages: the loader's history first, then live. On every connection that socket.io
 * could not recover (first connect, or away longer than the recovery window) it joins again with
 * the last id it has and merges what it missed; a recovered connection gets the missed packets
 * from socket.io itself.
 */
function useChatMessages(socket: Socket | null, publicId: string, initial: ChatMessage[]) {
  const [messages, setMessages] = useState(initial);
  const [connected, setConnected] = useState(false);
  const [joined, setJoined] = useState(false);
  const last = useRef(initial.at(-1)?.id);
  useEffect(() => {
    last.current = messages.at(-1)?.id;
  }, [messages]);
  // The page's loader reads the history again now and then (e.g. when the stream ends): keep anything new.
  useEffect(() => setMessages((current) => mergeMessages(current, initial)), [initial]);
  useEffect(() => {
    if (!socket) return;
    const join = () => {
      setConnected(true);
      if (socket.recovered) return;
      const afterId = last.current;
      socket.emit("chat:join", afterId === undefined ? { publicId } : { publicId, afterId }, (res: ChatJoinAck) => {
        if (!res.ok) return;
        setMessages((current) => mergeMessages(current, res.messages));
        setJoined(true);
      });
    };
    const onMessage = (m: ChatMessage) => {
      if (m.publicId === publicId) setMessages((current) => mergeMessages(current, [m]));
    };
    const onDisconnect = () => setConnected(false);
    socket.on("connect", join);
    socket.on("disconnect", onDisconnect);
    socket.on("chat:message", onMessage);
    if (socket.connected) join();
    return () => {
      socket.off("connect", join);
      socket.off("disconnect", onDisconnect);
      socket.off("chat:message", onMessage);
    };
  }, [socket, publicId]);
  return { messages, connected, joined };
}

export interface LiveChatProps {
  socket: Socket | null;
  publicId: string;
  /** The history the loader read: the replay page's, shown without JavaScript (empty while the chat is open). */
  initial: ChatMessage[];
  /** Posting is open (the stream is upcoming or live). */
  open: boolean;
  signedIn: boolean;
}

/** The chat beside a stream. Bodies are rendered as text (React escapes them); links stay plain text. */
export function LiveChat({ socket, publicId, initial, open, signedIn }: LiveChatProps) {
  const { t } = useTranslation();
  const { messages, connected, joined } = useChatMessages(socket, publicId, initial);
  const [draft, setDraft] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    const el = list.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [messages.length]);

  const send = (event: FormEvent) => {
    event.preventDefault();
    if (!socket || sending) return;
    setSending(true);
    setError(null);
    socket.timeout(10_000).emit("chat:send", { publicId, body: draft }, (timedOut: Error | null, res?: ChatSendAck) => {
      setSending(false);
      if (timedOut || !res) return setError(t("chat.failed"));
      if (!res.ok) return setError(res.message);
      setDraft("");
    });
  };

  return (
    <section className="chat" aria-labelledby="chat-title" data-testid="chat">
      <h2 id="chat-title">{t("chat.title")}</h2>
      {!open ? <p className="muted">{t("chat.readOnly")}</p> : null}
      {open && !joined ? (
        <p className="muted">{t("chat.connecting")}</p>
      ) : messages.length === 0 ? (
        <p className="muted">{t("chat.noMessages")}</p>
      ) : null}
      <ol className="chat__list" ref={list} data-testid="chat-messages" aria-live="polite">
        {messages.map((m) => (
          <li key={m.id} data-id={m.id}>
            <span className="chat__author">{m.authorName}</span>
            <span className="chat__body">{m.body}</span>
          </li>
        ))}
      </ol>
      {open && signedIn ? (
        <form className="chat__form" onSubmit={send}>
          <label htmlFor="chat-input" className="visually-hidden">
            {t("chat.label")}
          </label>
          <input
            id="chat-input"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            placeholder={t("chat.placeholder")}
            maxLength={CHAT_MAX_LENGTH * 2}
            autoComplete="off"
            disabled={!socket}
          />
          <button type="submit" className="button" disabled={!socket || !connected || sending}>
            {t("chat.send")}
          </button>
        </form>
      ) : null}
      {open && joined && !connected ? <p className="muted small">{t("chat.reconnecting")}</p> : null}
      {error ? (
        <p className="form-errors" role="alert">
          {error}
        </p>
      ) : null}
      {open && !signedIn ? (
        <p>
          <a href={`/login?redirectTo=${encodeURIComponent(`/live/${publicId}`)}`}>{t("chat.signIn")}</a>
        </p>
      ) : null}
    </section>
  );
}
