import { z } from "zod";
import { chatMessageKinds } from "../../../db/schema/enums";
import { CHAT_MAX_LENGTH } from "../../../livestream/chat-protocol";

/**
 * A chat message as a client sends it: 1 to 200 characters after trimming (counted as Unicode
 * code points, so a Chinese character or an emoji is one), plain text. The body is stored as
 * typed (trimmed) and always rendered as text, never as HTML.
 */
export const chatPostSchema = z.object({
  body: z
    .string({ error: "chat.invalid" })
    .trim()
    .refine((s) => s.length > 0, { message: "chat.empty", abort: true })
    .refine((s) => [...s].length <= CHAT_MAX_LENGTH, { message: "chat.tooLong" }),
  kind: z.enum(chatMessageKinds, { error: "chat.invalid" }).optional().default("chat"),
});
export type ChatPostInput = z.input<typeof chatPostSchema>;

/** `chat:join`'s payload. */
export const chatJoinSchema = z.object({
  publicId: z.string({ error: "errors.notFound" }).regex(/^[a-z0-9]{4,32}$/, "errors.notFound"),
  afterId: z.number({ error: "chat.invalid" }).int().nonnegative().optional(),
});
