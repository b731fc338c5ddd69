/**
 * The chat's limits and the shapes the chat domain hands out, without server imports (the watch
 * page uses them too). livestream/chat-protocol.ts re-exports them as part of the socket
 * protocol's contract: add fields, never rename or reshape.
 */

/** How many messages `chat:join` returns without `afterId`, and at most with it. */
export const CHAT_HISTORY_SIZE = 50;
export const CHAT_CATCH_UP_LIMIT = 500;
export const CHAT_MAX_LENGTH = 200;
/** At most this many messages per user per window, in one stream. */
export const CHAT_RATE_LIMIT = { messages: 3, windowSeconds: 2 } as const;

export interface ChatMessage {
  id: number;
  publicId: string;
  body: string;
  kind: string;
  authorId: string;
  authorName: string;
  /** ISO 8601 */
  createdAt: string;
}

/** A product card above the chat; its buy button goes to /products/:id. */
export interface ChatPinnedProduct {
  id: number;
  name: string;
  priceFen: number;
}

/** A live poll with its results; `myVote` is the receiving user's (null in room broadcasts). */
export interface ChatPoll {
  id: number;
  publicId: string;
  question: string;
  options: string[];
  votes: number[];
  open: boolean;
  myVote: number | null;
}
