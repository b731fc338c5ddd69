import { z } from "zod";
import { chatMessageKinds } from "../../../db/schema/enums";
import { CHAT_MAX_LENGTH } from "./protocol";

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
  afterSeq: z.number({ error: "chat.invalid" }).int().nonnegative().optional(),
});

const reason = z
  .string({ error: "chat.reasonRequired" })
  .trim()
  .min(2, "chat.reasonRequired")
  .max(200, "chat.reasonTooLong");

/** A moderator hides a message, with a reason. */
export const chatHideSchema = z.object({
  id: z.number({ error: "chat.invalid" }).int().positive().max(2147483647, { error: "security.idInvalid" }),
  reason,
});

/** Mute for 1 to 1440 minutes in this stream, or ban from the business's streams. */
export const chatSanctionSchema = z
  .object({
    kind: z.enum(["mute", "ban"], { error: "chat.invalid" }),
    userId: z.string({ error: "chat.invalid" }).min(1, "chat.invalid"),
    minutes: z.number({ error: "chat.invalid" }).int().min(1, "chat.invalid").max(1440, "chat.invalid").optional(),
    reason,
  })
  .refine((v) => v.kind === "ban" || v.minutes !== undefined, { message: "chat.invalid" });

/** Slow mode: 0 (off) to 300 seconds. */
export const chatSlowModeSchema = z.object({ seconds: z.number().int().min(0).max(300) });

export const chatToFeedbackSchema = z.object({
  id: z.number().int().positive().max(2147483647, { error: "security.idInvalid" }),
  kind: z.enum(["suggestion", "complaint", "question", "praise"]),
});

/** A poll: a question of 2 to 120 characters and 2 to 6 distinct options of 1 to 40 characters. */
export const pollOpenSchema = z.object({
  question: z.string({ error: "chat.pollQuestion" }).trim().min(2, "chat.pollQuestion").max(120, "chat.pollQuestion"),
  options: z
    .array(z.string({ error: "chat.pollOptions" }).trim().max(40, "chat.pollOptions"), { error: "chat.pollOptions" })
    .transform((list) => list.filter((o) => o.length > 0))
    .refine((list) => list.length >= 2 && list.length <= 6 && new Set(list).size === list.length, {
      message: "chat.pollOptions",
    }),
});

export const pollVoteSchema = z.object({
  pollId: z.number().int().positive().max(2147483647, { error: "security.idInvalid" }),
  option: z.number().int().min(0).max(5),
});
