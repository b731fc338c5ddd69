import { describe, expect, it } from "vitest";
import { chatPostSchema } from "~/domain/chat/schemas";
import { mergeMessages, type ChatMessage } from "../../livestream/chat-protocol";

const m = (id: number, seq = id): ChatMessage => ({
  id,
  seq,
  publicId: "demo",
  body: `#${id}`,
  kind: "chat",
  authorId: "u",
  authorName: "n",
  createdAt: "2030-01-01T00:00:00.000Z",
});

describe("merging chat messages", () => {
  it("keeps each id once, in id order, whatever order batches arrive in", () => {
    expect(mergeMessages([m(1), m(2), m(4)], [m(3), m(4), m(5)]).map((x) => x.id)).toEqual([1, 2, 3, 4, 5]);
    expect(mergeMessages([m(5)], [m(2), m(1)]).map((x) => x.id)).toEqual([1, 2, 5]);
    const same = [m(1)];
    expect(mergeMessages(same, [])).toBe(same);
  });

  it("orders by seq (the stream's commit order), not by id", () => {
    // Message 7 took its id first but committed second: its seq is the higher one.
    expect(mergeMessages([m(6, 1)], [m(8, 2), m(7, 3)]).map((x) => x.id)).toEqual([6, 8, 7]);
  });
});

describe("the chat payload", () => {
  const issue = (body: unknown) => chatPostSchema.safeParse({ body }).error?.issues[0]?.message;
  it("counts characters as people do, after trimming", () => {
    expect(issue("👍".repeat(200))).toBeUndefined();
    expect(issue("👍".repeat(201))).toBe("chat.tooLong");
    expect(issue(`   ${"x".repeat(200)}   `)).toBeUndefined();
    expect(issue("\u3000 ")).toBe("chat.empty");
    expect(issue(undefined)).toBe("chat.invalid");
    expect(chatPostSchema.parse({ body: " hi " })).toEqual({ body: "hi", kind: "chat" });
  });
});
