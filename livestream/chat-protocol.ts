/**
 * The live chat's wire protocol, shared by the server (livestream/chat.ts), the watch page
 * (app/components/live-chat.tsx), the benchmark and the multi-process tests. No server imports.
 * Names and shapes are a contract: add fields, never rename or reshape.
 */
import type { ChatMessageKind } from "../db/schema/enums";
import {
  CHAT_CATCH_UP_LIMIT,
  CHAT_HISTORY_SIZE,
  CHAT_MAX_LENGTH,
  CHAT_RATE_LIMIT,
  type ChatMessage,
  type ChatPinnedProduct,
  type ChatPoll,
} from "../app/domain/chat/protocol";

export type { ChatMessageKind };
/** The chat domain's limits and shapes are part of this contract (app/domain/chat/protocol.ts). */
export { CHAT_CATCH_UP_LIMIT, CHAT_HISTORY_SIZE, CHAT_MAX_LENGTH, CHAT_RATE_LIMIT };
export type { ChatMessage, ChatPinnedProduct, ChatPoll };

/** The room of one stream; the viewer counts use the same room. */
export const liveRoom = (publicId: string) => `live:${publicId}`;

/** A refusal: `error` is a stable code (e.g. "auth.required", "chat.tooLong"), `message` is in the socket user's locale. */
export interface ChatRefusal {
  ok: false;
  error: string;
  message: string;
}

export interface ChatJoinPayload {
  publicId: string;
  /**
   * Only messages after this seq (a client catching up after a long disconnection): the last
   * `seq` it has. Seqs are in commit order, so a message committed late is never skipped.
   */
  afterSeq?: number;
  /** The older form of the cursor: the last id the client has (read as that message's seq). */
  afterId?: number;
}
export type ChatJoinAck =
  | {
      ok: true;
      messages: ChatMessage[];
      /** One message per this many seconds per viewer; 0 is off. */
      slowModeSeconds?: number;
      /** This socket's user may moderate the stream's chat (the server checks every action again). */
      canModerate?: boolean;
      /** The product pinned above the chat, for a late joiner. */
      pinned?: ChatPinnedProduct | null;
      /** The stream's polls with their results (the open one last, if any). */
      polls?: ChatPoll[];
    }
  | ChatRefusal;

export interface ChatSendPayload {
  publicId: string;
  body: string;
  kind?: ChatMessageKind;
}
export type ChatSendAck = { ok: true; id: number } | ChatRefusal;

/** Moderators' events; every one is checked on the server. */
export interface ChatHidePayload {
  publicId: string;
  id: number;
  reason: string;
}
export interface ChatSanctionPayload {
  publicId: string;
  userId: string;
  kind: "mute" | "ban";
  /** For a mute. */
  minutes?: number;
  reason: string;
}
export interface ChatSlowModePayload {
  publicId: string;
  seconds: number;
}
export interface ChatToFeedbackPayload {
  publicId: string;
  id: number;
  kind: "suggestion" | "complaint" | "question" | "praise";
}
export interface ChatPinPayload {
  publicId: string;
  /** null unpins. */
  productId: number | null;
}
export type ChatOkAck = { ok: true } | ChatRefusal;

export interface ChatClientEvents {
  "chat:join": (payload: ChatJoinPayload, ack: (res: ChatJoinAck) => void) => void;
  "chat:send": (payload: ChatSendPayload, ack: (res: ChatSendAck) => void) => void;
  "chat:hide": (payload: ChatHidePayload, ack: (res: ChatOkAck) => void) => void;
  "chat:sanction": (payload: ChatSanctionPayload, ack: (res: ChatOkAck) => void) => void;
  "chat:slowMode": (payload: ChatSlowModePayload, ack: (res: ChatOkAck) => void) => void;
  "chat:toFeedback": (payload: ChatToFeedbackPayload, ack: (res: ChatOkAck) => void) => void;
  "chat:pin": (payload: ChatPinPayload, ack: (res: ChatOkAck) => void) => void;
  "chat:pollOpen": (
    payload: { publicId: string; question: string; options: string[] },
    ack: (res: ChatOkAck) => void,
  ) => void;
  "chat:pollClose": (payload: { publicId: string; pollId: number }, ack: (res: ChatOkAck) => void) => void;
  "chat:vote": (
    payload: { publicId: string; pollId: number; option: number },
    ack: (res: { ok: true; poll: ChatPoll } | ChatRefusal) => void,
  ) => void;
}

export interface ChatServerEvents {
  "chat:message": (message: ChatMessage) => void;
  /** A moderator hid this message: every client drops it at once. */
  "chat:hidden": (payload: { publicId: string; id: number }) => void;
  /** The stream's chat settings changed. */
  "chat:settings": (payload: { publicId: string; slowModeSeconds: number }) => void;
  /** The pinned product changed (null: unpinned). */
  "chat:pinned": (payload: { publicId: string; product: ChatPinnedProduct | null }) => void;
  /** A poll was opened, voted on or closed: its results now (myVote null). */
  "chat:poll": (poll: ChatPoll) => void;
}

/**
 * Adds a batch to a list ordered by seq (the stream's commit order), without duplicates (live
 * messages, catch-up and older pages may overlap).
 */
export function mergeMessages(current: readonly ChatMessage[], incoming: readonly ChatMessage[]): ChatMessage[] {
  if (incoming.length === 0) return current as ChatMessage[];
  const byId = new Map<number, ChatMessage>();
  for (const m of current) byId.set(m.id, m);
  for (const m of incoming) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => a.seq - b.seq || a.id - b.id);
}
