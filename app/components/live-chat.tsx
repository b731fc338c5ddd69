import { Link } from "~/components/link";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "~/i18n/react";
import type { Socket } from "socket.io-client";
import { Money } from "~/components/market";
import {
  CHAT_MAX_LENGTH,
  mergeMessages,
  type ChatJoinAck,
  type ChatMessage,
  type ChatMessageKind,
  type ChatOkAck,
  type ChatPinnedProduct,
  type ChatPoll,
  type ChatSendAck,
} from "../../livestream/chat-protocol";
import { SubmitButton } from "~/components/submit-button";
import { HiddenLabel, Notice } from "~/components/page-parts";

const KINDS: ChatMessageKind[] = ["chat", "suggestion", "complaint", "question"];
const SLOW_CHOICES = [0, 10, 30, 60];

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
      // WebSocket first; long-polling only where a WebSocket cannot open (a server of several
      // workers refuses polling: docs/decisions/028).
      made = io({ transports: ["websocket", "polling"], tryAllTransports: true });
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
/** Replaces a poll by id (or adds it), keeping this user's own vote when a broadcast does not carry it. */
function mergePoll(current: ChatPoll[], poll: ChatPoll): ChatPoll[] {
  const old = current.find((p) => p.id === poll.id);
  const next = { ...poll, myVote: poll.myVote ?? old?.myVote ?? null };
  return old ? current.map((p) => (p.id === poll.id ? next : p)) : [...current, next];
}

/**
 * The chat's messages: the loader's history first (and every older page it reads), then live. On
 * every connection that socket.io could not recover (first connect, or away longer than the
 * recovery window) it joins again with the last seq it has and merges what it missed; seqs are the
 * stream's commit order, so a message committed late is not skipped. A recovered connection gets
 * the missed packets from socket.io itself.
 */
function useChatMessages(
  socket: Socket | null,
  publicId: string,
  initial: ChatMessage[],
  initialPin: ChatPinnedProduct | null,
  initialPolls: ChatPoll[],
) {
  const [pinned, setPinned] = useState(initialPin);
  const [polls, setPolls] = useState(initialPolls);
  const [messages, setMessages] = useState(initial);
  const [connected, setConnected] = useState(false);
  const [joined, setJoined] = useState(false);
  const [slowModeSeconds, setSlowModeSeconds] = useState(0);
  const [canModerate, setCanModerate] = useState(false);
  const last = useRef(initial.at(-1)?.seq);
  useEffect(() => {
    last.current = messages.at(-1)?.seq;
  }, [messages]);
  // The page's loader reads the history again now and then (e.g. when the stream ends): keep anything new.
  // eslint-disable-next-line react-hooks/set-state-in-effect -- merging props into state that the socket also writes
  useEffect(() => setMessages((current) => mergeMessages(current, initial)), [initial]);
  useEffect(() => {
    if (!socket) return;
    const join = () => {
      setConnected(true);
      if (socket.recovered) return;
      const afterSeq = last.current;
      socket.emit("chat:join", afterSeq === undefined ? { publicId } : { publicId, afterSeq }, (res: ChatJoinAck) => {
        if (!res.ok) return;
        setMessages((current) => mergeMessages(current, res.messages));
        setSlowModeSeconds(res.slowModeSeconds ?? 0);
        setCanModerate(res.canModerate ?? false);
        if (res.pinned !== undefined) setPinned(res.pinned);
        if (res.polls) setPolls(res.polls);
        setJoined(true);
      });
    };
    const onMessage = (m: ChatMessage) => {
      if (m.publicId === publicId) setMessages((current) => mergeMessages(current, [m]));
    };
    // A moderator hid a message: it goes from every screen at once.
    const onHidden = (p: { publicId: string; id: number }) => {
      if (p.publicId === publicId) setMessages((current) => current.filter((m) => m.id !== p.id));
    };
    const onSettings = (p: { publicId: string; slowModeSeconds: number }) => {
      if (p.publicId === publicId) setSlowModeSeconds(p.slowModeSeconds);
    };
    const onPinned = (p: { publicId: string; product: ChatPinnedProduct | null }) => {
      if (p.publicId === publicId) setPinned(p.product);
    };
    const onPoll = (p: ChatPoll) => {
      if (p.publicId === publicId) setPolls((current) => mergePoll(current, p));
    };
    const onDisconnect = () => setConnected(false);
    const stopListening = listen(socket, {
      "chat:poll": onPoll,
      "chat:pinned": onPinned,
      connect: join,
      disconnect: onDisconnect,
      "chat:message": onMessage,
      "chat:hidden": onHidden,
      "chat:settings": onSettings,
    });
    if (socket.connected) join();
    return stopListening;
  }, [socket, publicId]);
  const voted = (poll: ChatPoll) => setPolls((current) => mergePoll(current, poll));
  return { messages, connected, joined, slowModeSeconds, canModerate, pinned, polls, voted };
}

/** Listens on `socket` to each event with its handler; answers the function that stops listening to them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function listen(socket: Socket, handlers: Record<string, (...args: any[]) => void>) {
  for (const [event, handler] of Object.entries(handlers)) socket.on(event, handler);
  return () => {
    for (const [event, handler] of Object.entries(handlers)) socket.off(event, handler);
  };
}

export interface LiveChatProps {
  socket: Socket | null;
  publicId: string;
  /**
   * The history the loader read: the replay page's newest page, or an older page (?chatBefore=),
   * shown without JavaScript; empty while the chat is open and no older page was asked for.
   */
  initial: ChatMessage[];
  /** Where the page before `initial` starts (null: none); undefined when the loader read no page. */
  olderBefore?: number | null;
  /** The loader read an older page (the address has ?chatBefore=). */
  paged?: boolean;
  /** Posting is open (the stream is upcoming or live). */
  open: boolean;
  signedIn: boolean;
  /** The pinned product as the loader read it (a reload shows it before the socket connects). */
  pinned: ChatPinnedProduct | null;
  /** The streaming business's products, for its members' pin picker (empty for everyone else). */
  pinChoices: ChatPinnedProduct[];
  /** The stream's polls as the loader read them (the replay page shows them without JavaScript). */
  polls: ChatPoll[];
}

/** The chat beside a stream. Bodies are rendered as text (React escapes them); links stay plain text. */
export function LiveChat({
  socket,
  publicId,
  initial,
  olderBefore,
  paged = false,
  open,
  signedIn,
  pinned: initialPin,
  pinChoices,
  polls: initialPolls,
}: LiveChatProps) {
  const { t } = useTranslation();
  const { messages, connected, joined, slowModeSeconds, canModerate, pinned, polls, voted } = useChatMessages(
    socket,
    publicId,
    initial,
    initialPin,
    initialPolls,
  );
  const [draft, setDraft] = useState("");
  const [kind, setKind] = useState<ChatMessageKind>("chat");
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const list = useRef<HTMLOListElement>(null);
  // Follow the newest message; an older page coming in above leaves the list where it is.
  const newest = messages.at(-1)?.seq;
  useEffect(() => {
    const el = list.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [newest]);
  const oldest = messages[0]?.seq;
  const olderTarget = olderBefore !== undefined ? olderBefore : oldest !== undefined && oldest > 1 ? oldest : null;

  const send = (event: FormEvent) => {
    event.preventDefault();
    if (!socket || sending) return;
    setSending(true);
    setError(null);
    setNotice(null);
    socket
      .timeout(10_000)
      .emit("chat:send", { publicId, body: draft, kind }, (timedOut: Error | null, res?: ChatSendAck) => {
        setSending(false);
        if (timedOut || !res) return setError(t("chat.failed"));
        if (!res.ok) return setError(res.message);
        setDraft("");
        if (kind !== "chat") setNotice(t("chat.sentToDesk"));
        setKind("chat");
      });
  };

  /** A moderator's action; the server checks the permission again and answers in the user's language. */
  const moderate = (event: string, payload: Record<string, unknown>, onDone?: () => void) => {
    if (!socket) return;
    setError(null);
    setNotice(null);
    socket.timeout(10_000).emit(event, { publicId, ...payload }, (timedOut: Error | null, res?: ChatOkAck) => {
      if (timedOut || !res) return setError(t("chat.failed"));
      if (!res.ok) return setError(res.message);
      setNotice(t("chat.done"));
      onDone?.();
    });
  };

  return (
    <section className="chat" aria-labelledby="chat-title" data-testid="chat">
      {open && pinned ? <PinnedCard product={pinned} /> : null}
      <h2 id="chat-title">{t("chat.title")}</h2>
      {polls.map((poll) => (
        <PollCard
          key={poll.id}
          poll={poll}
          canVote={open && signedIn && !!socket && poll.open && poll.myVote === null}
          canClose={open && canModerate && poll.open}
          vote={(option) => {
            if (!socket) return;
            setError(null);
            socket
              .timeout(10_000)
              .emit(
                "chat:vote",
                { publicId, pollId: poll.id, option },
                (timedOut: Error | null, res?: { ok: true; poll: ChatPoll } | { ok: false; message: string }) => {
                  if (timedOut || !res) return setError(t("chat.failed"));
                  if (!res.ok) return setError(res.message);
                  voted(res.poll);
                },
              );
          }}
          close={() => moderate("chat:pollClose", { pollId: poll.id })}
        />
      ))}
      {open && canModerate && !polls.some((p) => p.open) ? (
        <PollForm start={(question, options, done) => moderate("chat:pollOpen", { question, options }, done)} />
      ) : null}
      {open && pinChoices.length > 0 ? (
        <form
          className="chat__slow"
          onSubmit={(e) => {
            e.preventDefault();
            const value = String(new FormData(e.currentTarget).get("productId") ?? "");
            moderate("chat:pin", { productId: value === "" ? null : Number(value) });
          }}
        >
          <label htmlFor="chat-pin">{t("chat.pinLabel")}</label>{" "}
          <select id="chat-pin" name="productId" defaultValue={pinned ? String(pinned.id) : ""} key={pinned?.id ?? 0}>
            <option value="">{t("chat.pinNone")}</option>
            {pinChoices.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>{" "}
          <SubmitButton className="button button--small" label={t("chat.pinSet")} />
        </form>
      ) : null}
      {!open ? <p className="muted">{t("chat.readOnly")}</p> : null}
      {open && slowModeSeconds > 0 ? (
        <p className="muted small" data-testid="slow-mode">
          {t("chat.slowModeOn", { seconds: slowModeSeconds })}
        </p>
      ) : null}
      {open && canModerate ? (
        <form
          className="chat__slow"
          onSubmit={(e) => {
            e.preventDefault();
            moderate("chat:slowMode", { seconds: Number(new FormData(e.currentTarget).get("seconds")) });
          }}
        >
          <label htmlFor="chat-slow">{t("chat.slowModeLabel")}</label>{" "}
          <select id="chat-slow" name="seconds" defaultValue={String(slowModeSeconds)} key={slowModeSeconds}>
            {SLOW_CHOICES.map((n) => (
              <option key={n} value={n}>
                {n === 0 ? t("chat.slowModeOff") : t("chat.seconds", { count: n })}
              </option>
            ))}
          </select>{" "}
          <SubmitButton className="button button--small" label={t("chat.slowModeSet")} />
        </form>
      ) : null}
      {open && !joined ? (
        <p className="muted">{t("chat.connecting")}</p>
      ) : messages.length === 0 ? (
        <p className="muted">{t("chat.noMessages")}</p>
      ) : null}
      {olderTarget !== null ? (
        <p className="chat__older">
          <Link
            to={`/live/${publicId}?chatBefore=${olderTarget}`}
            preventScrollReset
            replace
            className="button button--small"
            data-testid="chat-older"
          >
            {t("chat.older")}
          </Link>
        </p>
      ) : null}
      {/* Focusable so a keyboard can scroll the messages (axe: scrollable-region-focusable). */}
      <ol
        className="chat__list"
        ref={list}
        data-testid="chat-messages"
        aria-live="polite"
        aria-labelledby="chat-title"
        // A scrollable region must take the keyboard's focus to be scrolled without a mouse.
        // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
        tabIndex={0}
      >
        {messages.map((m) => (
          <li key={m.id} data-id={m.id} data-seq={m.seq}>
            <span className="chat__author">{m.authorName}</span>
            {m.kind !== "chat" ? <span className="badge chat__kind">{t(`chat.kinds.${m.kind}`)}</span> : null}
            <span className="chat__body">{m.body}</span>
            {open && canModerate ? <ModerateMessage message={m} act={moderate} /> : null}
          </li>
        ))}
      </ol>
      {paged ? (
        <p className="chat__older">
          <Link to={`/live/${publicId}`} preventScrollReset replace data-testid="chat-newest">
            {t("chat.newest")}
          </Link>
        </p>
      ) : null}
      {open && signedIn ? (
        <form className="chat__form" onSubmit={send}>
          <HiddenLabel htmlFor="chat-input">{t("chat.label")}</HiddenLabel>
          <HiddenLabel htmlFor="chat-kind">{t("chat.kindLabel")}</HiddenLabel>
          <select
            id="chat-kind"
            value={kind}
            onChange={(e) => setKind(e.target.value as ChatMessageKind)}
            disabled={!socket}
          >
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`chat.kinds.${k}`)}
              </option>
            ))}
          </select>
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
        <Notice ok={false} testId="chat-error">
          {error}
        </Notice>
      ) : null}
      {notice ? <Notice>{notice}</Notice> : null}
      {open && !signedIn ? (
        <p>
          <a href={`/login?redirectTo=${encodeURIComponent(`/live/${publicId}`)}`}>{t("chat.signIn")}</a>
        </p>
      ) : null}
    </section>
  );
}

/** A moderator's tools on one message: a reason, then hide, mute for 10 minutes, ban, or send to the desk. */
function ModerateMessage({
  message,
  act,
}: {
  message: ChatMessage;
  act: (event: string, payload: Record<string, unknown>, onDone?: () => void) => void;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState("");
  const details = useRef<HTMLDetailsElement>(null);
  const close = () => {
    setReason("");
    if (details.current) details.current.open = false;
  };
  return (
    <details className="chat__moderate" ref={details}>
      <summary>{t("chat.moderate")}</summary>
      <div className="chat__tools">
        <HiddenLabel htmlFor={`chat-reason-${message.id}`}>{t("chat.reason")}</HiddenLabel>
        <input
          id={`chat-reason-${message.id}`}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder={t("chat.reason")}
          maxLength={200}
        />
        <button
          type="button"
          className="button button--small"
          onClick={() => act("chat:hide", { id: message.id, reason }, close)}
        >
          {t("chat.hide")}
        </button>
        <button
          type="button"
          className="button button--small"
          onClick={() => act("chat:sanction", { kind: "mute", userId: message.authorId, minutes: 10, reason }, close)}
        >
          {t("chat.mute")}
        </button>
        <button
          type="button"
          className="button button--small"
          onClick={() => act("chat:sanction", { kind: "ban", userId: message.authorId, reason }, close)}
        >
          {t("chat.ban")}
        </button>
        <button
          type="button"
          className="button button--small"
          onClick={() =>
            act(
              "chat:toFeedback",
              { id: message.id, kind: message.kind === "chat" ? "suggestion" : message.kind },
              close,
            )
          }
        >
          {t("chat.toFeedback")}
        </button>
      </div>
    </details>
  );
}

/** The pinned product above the chat: its name, price and a buy button (adds one to the cart and opens it). */
function PinnedCard({ product }: { product: ChatPinnedProduct }) {
  const { t } = useTranslation();
  return (
    <div className="card chat__pin" data-testid="pinned-product">
      <p className="muted small">{t("chat.pinned")}</p>
      <p>
        <a href={`/products/${product.id}`} className="chat__pin-name">
          {product.name}
        </a>{" "}
        <Money fen={product.priceFen} />
      </p>
      <form method="post" action={`/products/${product.id}`}>
        <input type="hidden" name="quantity" value="1" />
        <SubmitButton intent="buy" primary label={t("chat.buy")} />
      </form>
    </div>
  );
}

/** A poll and its results; open polls take one vote per account (buttons), closed ones show the counts. */
function PollCard({
  poll,
  canVote,
  canClose,
  vote,
  close,
}: {
  poll: ChatPoll;
  canVote: boolean;
  canClose: boolean;
  vote: (option: number) => void;
  close: () => void;
}) {
  const { t } = useTranslation();
  const total = poll.votes.reduce((a, b) => a + b, 0);
  return (
    <div className="card chat__poll" data-testid="poll" data-poll-id={poll.id}>
      <p className="muted small">{poll.open ? t("chat.poll") : t("chat.pollEnded")}</p>
      <p className="chat__poll-question">{poll.question}</p>
      <ol className="chat__poll-options">
        {poll.options.map((option, i) => (
          <li key={i} data-option={i}>
            {canVote ? (
              <button type="button" className="button button--small" onClick={() => vote(i)}>
                {option}
              </button>
            ) : (
              <span className={poll.myVote === i ? "chat__poll-mine" : undefined}>{option}</span>
            )}{" "}
            <span className="chat__poll-count" data-testid="poll-count">
              {t("chat.pollVotes", { count: poll.votes[i] ?? 0 })}
            </span>
            <span
              className="chat__poll-bar"
              style={{ width: `${total ? Math.round(((poll.votes[i] ?? 0) / total) * 100) : 0}%` }}
            />
          </li>
        ))}
      </ol>
      {canClose ? (
        <button type="button" className="button button--small" onClick={close}>
          {t("chat.pollClose")}
        </button>
      ) : null}
    </div>
  );
}

/** A moderator asks a question with 2 to 6 options (empty option boxes are left out). */
function PollForm({ start }: { start: (question: string, options: string[], done: () => void) => void }) {
  const { t } = useTranslation();
  const details = useRef<HTMLDetailsElement>(null);
  return (
    <details className="chat__poll-form" ref={details}>
      <summary>{t("chat.pollAsk")}</summary>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          const form = e.currentTarget;
          const data = new FormData(form);
          start(String(data.get("question") ?? ""), data.getAll("option").map(String), () => {
            form.reset();
            if (details.current) details.current.open = false;
          });
        }}
      >
        <div className="field">
          <label htmlFor="poll-question">{t("chat.pollQuestionLabel")}</label>
          <input id="poll-question" name="question" maxLength={120} />
        </div>
        {[1, 2, 3, 4, 5, 6].map((n) => (
          <div className="field" key={n}>
            <label htmlFor={`poll-option-${n}`}>{t("chat.pollOptionLabel", { n })}</label>
            <input id={`poll-option-${n}`} name="option" maxLength={40} />
          </div>
        ))}
        <SubmitButton label={t("chat.pollStart")} />
      </form>
    </details>
  );
}
