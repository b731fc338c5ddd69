/**
 * The chat's limits and the shapes the chat domain hands out, without server imports (the watch
 * page uses them too). livestream/chat-protocol.ts re-exports them as part of the socket
 * protocol's contract: add fields, never rename or reshape.
 */

/**
 * How many messages `chat:join` returns without a cursor, and one page of older messages (the
 * replay's and the live chat's "load older"); at most CHAT_CATCH_UP_LIMIT after a cursor.
 */
export const CHAT_HISTORY_SIZE = 50;
export const CHAT_CATCH_UP_LIMIT = 500;
export const CHAT_MAX_LENGTH = 200;
/** At most this many messages per user per window, in one stream. */
export const CHAT_RATE_LIMIT = { messages: 3, windowSeconds: 2 } as const;

export interface ChatMessage {
  id: number;
  /**
   * The message's place in its stream (1, 2, 3, ...), in commit order: a message with a higher seq
   * was committed after every lower one, which ids do not promise. Catch-up and paging use it.
   */
  seq: number;
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
