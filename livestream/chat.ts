import type { Server, Socket } from "socket.io";
import type { Db } from "../db/client";
import type { Actor } from "../app/domain/accounts/actor";
import {
  canModerateChat,
  chatHistory,
  chatSettings,
  hideMessage,
  messageToFeedback,
  pinnedProduct,
  pinProduct,
  postMessage,
  sanctionUser,
  setSlowMode,
} from "../app/domain/chat/chat.server";
import { closePoll, openPoll, streamPolls, votePoll } from "../app/domain/chat/polls.server";
import { chatJoinSchema } from "../app/domain/chat/schemas";
import { DomainError, isDomainError, notFound } from "../app/domain/errors";
import { createI18n } from "../app/i18n/i18n";
import { localeFromCookieHeader } from "../app/i18n/locale.server";
import type { Logger } from "../app/lib/log.server";
import { clockNow } from "../app/lib/clock.server";
import {
  liveRoom,
  type ChatClientEvents,
  type ChatPoll,
  type ChatRefusal,
  type ChatServerEvents,
} from "./chat-protocol";

export interface ChatDeps {
  db: Db;
  log: Logger;
  /** The clock (tests may move it); defaults to now. */
  now?: () => Date;
}

/** The events about one stream (all but joining), with their payloads and successful acks. */
type StreamEvent = Exclude<keyof ChatClientEvents, "chat:join">;
type PayloadOf<E extends StreamEvent> = Parameters<ChatClientEvents[E]>[0];
type SuccessOf<E extends StreamEvent> = Exclude<Parameters<Parameters<ChatClientEvents[E]>[1]>[0], ChatRefusal>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ChatSocket = Socket<ChatClientEvents, ChatServerEvents, any, { actor: Actor }>;

/**
 * The live chat on the gateway's sockets. Every handler is one `on(event, handle)` entry below:
 * later features (moderation, polls, pins) add theirs the same way and reuse `refusal`.
 * The domain (app/domain/chat) decides; this file only parses, acks and broadcasts.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function attachChat(server: Server<any, any, any, any>, deps: ChatDeps) {
  // The gateway's Server types only its own events; the chat's are declared in chat-protocol.ts.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const io = server as Server<ChatClientEvents, ChatServerEvents, any, { actor: Actor }>;
  const now = deps.now ?? clockNow;

  /** A refusal in the socket user's language (the locale cookie sent with the handshake). */
  const refusal = (socket: ChatSocket, error: unknown): ChatRefusal => {
    const t = createI18n(localeFromCookieHeader(socket.handshake.headers.cookie)).t;
    if (isDomainError(error)) return { ok: false, error: error.code, message: t(error.code, error.params) };
    deps.log.error({ err: error }, "chat handler failed");
    return { ok: false, error: "server.error", message: t("errorPages.serverErrorBody") };
  };

  io.on("connection", (socket: ChatSocket) => {
    /**
     * An event about one stream: a payload without the stream's id is refused; `handle` gets the
     * payload and the socket's user, and the ack is what it returns, or the refusal it throws in
     * the socket user's language.
     */
    const onStream = <E extends StreamEvent>(
      event: E,
      handle: (payload: PayloadOf<E>, actor: Actor) => Promise<SuccessOf<E>>,
    ) => {
      const listener = async (payload: PayloadOf<E>, ack: (res: SuccessOf<E> | ChatRefusal) => void) => {
        if (typeof ack !== "function") return;
        try {
          if (!payload || typeof payload !== "object" || typeof payload.publicId !== "string") throw invalidError();
          ack(await handle(payload, socket.data.actor));
        } catch (error) {
          ack(refusal(socket, error));
        }
      };
      // socket.io types each event's listener apart and cannot match one generic over them all.
      socket.on(event, listener as never);
    };

    socket.on("chat:join", async (payload, ack) => {
      if (typeof ack !== "function") return;
      try {
        const parsed = chatJoinSchema.safeParse(payload);
        if (!parsed.success) throw parsed.error.issues[0]?.message === "errors.notFound" ? notFound() : invalidError();
        const { publicId, afterId, afterSeq } = parsed.data;
        // One stream at a time per socket, like `live:watch`. Join before reading: a message sent
        // in between then comes both ways, and the client merges by id, instead of not at all.
        for (const room of socket.rooms)
          if (room.startsWith("live:") && room !== liveRoom(publicId)) void socket.leave(room);
        await socket.join(liveRoom(publicId));
        try {
          const messages = await chatHistory(deps.db, socket.data.actor, publicId, { afterId, afterSeq });
          const { slowModeSeconds } = await chatSettings(deps.db, publicId);
          ack({
            ok: true,
            messages,
            slowModeSeconds,
            canModerate: await canModerateChat(deps.db, socket.data.actor, publicId),
            pinned: await pinnedProduct(deps.db, publicId),
            polls: await streamPolls(deps.db, socket.data.actor, publicId),
          });
        } catch (error) {
          await socket.leave(liveRoom(publicId)); // an unknown stream: no room
          throw error;
        }
      } catch (error) {
        ack(refusal(socket, error));
      }
    });

    onStream("chat:send", async ({ publicId, body, kind }, actor) => {
      const message = await postMessage(deps.db, actor, publicId, { body, kind }, now());
      // Stored and committed first; only then does anyone hear of it.
      io.to(liveRoom(publicId)).emit("chat:message", message);
      return { ok: true, id: message.id };
    });

    // Moderators' events: the domain checks the permission on every one (never the client).
    onStream("chat:hide", async ({ publicId, id, reason }, actor) => {
      const hidden = await hideMessage(deps.db, actor, publicId, { id, reason }, now());
      io.to(liveRoom(publicId)).emit("chat:hidden", hidden);
      return { ok: true };
    });

    onStream("chat:sanction", async ({ publicId, ...input }, actor) => {
      await sanctionUser(deps.db, actor, publicId, input, now());
      return { ok: true };
    });

    onStream("chat:slowMode", async ({ publicId, seconds }, actor) => {
      const settings = await setSlowMode(deps.db, actor, publicId, { seconds });
      io.to(liveRoom(publicId)).emit("chat:settings", settings);
      return { ok: true };
    });

    onStream("chat:toFeedback", async ({ publicId, id, kind }, actor) => {
      await messageToFeedback(deps.db, actor, publicId, { id, kind }, now());
      return { ok: true };
    });

    onStream("chat:pin", async ({ publicId, productId }, actor) => {
      const pinned = await pinProduct(deps.db, actor, publicId, { productId }, now());
      io.to(liveRoom(publicId)).emit("chat:pinned", pinned);
      return { ok: true };
    });

    /** The room hears a poll's results without anyone's own vote. */
    const broadcastPoll = (poll: ChatPoll) =>
      io.to(liveRoom(poll.publicId)).emit("chat:poll", { ...poll, myVote: null });

    onStream("chat:pollOpen", async ({ publicId, question, options }, actor) => {
      broadcastPoll(await openPoll(deps.db, actor, publicId, { question, options }, now()));
      return { ok: true };
    });

    onStream("chat:pollClose", async ({ publicId, pollId }, actor) => {
      broadcastPoll(await closePoll(deps.db, actor, publicId, { pollId }, now()));
      return { ok: true };
    });

    onStream("chat:vote", async ({ publicId, pollId, option }, actor) => {
      const poll = await votePoll(deps.db, actor, publicId, { pollId, option }, now());
      broadcastPoll(poll);
      return { ok: true, poll };
    });
  });
}

const invalidError = () => new DomainError("chat.invalid", 400);
