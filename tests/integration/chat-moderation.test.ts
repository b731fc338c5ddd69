import { and, count, desc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  auditLog,
  bookings,
  businesses,
  chatMessages,
  chatPins,
  chatSanctions,
  feedback,
  notifications,
  products,
} from "../../db/schema";
import type { User } from "~/domain/accounts/actor";
import {
  chatHistory,
  hideMessage,
  messageToFeedback,
  pinChoices,
  pinnedProduct,
  pinProduct,
  postMessage,
  sanctionUser,
  setSlowMode,
} from "~/domain/chat/chat.server";
import { closePoll, openPoll, streamPolls, votePoll } from "~/domain/chat/polls.server";
import { deskFeedback } from "~/domain/feedback/feedback.server";
import { addMinutes } from "~/domain/studio/slots";
import type { ChatJoinAck, ChatOkAck, ChatSendAck } from "../../livestream/chat-protocol";
import { useChatServer } from "../helpers/chat-server";
import { secondsAfter, useTestDatabase } from "../helpers/kit";

const STARTS = new Date("2031-03-02T02:00:00Z");

const kit = useTestDatabase();
const { db } = kit;
const actors = kit.signedIn({
  resident: "resident", // a viewer
  owner: "shopOwner", // owner of S0001, the streaming business
  stallOwner: "stallOwner", // owner of another business: a viewer here
  moderator: "moderator", // alliance moderator (an officer)
  admin: "admin", // staff
});

/** The last notice `who` was sent. */
async function latestNotice(who: User) {
  const [notice] = await db()
    .select()
    .from(notifications)
    .where(eq(notifications.userId, who.userId))
    .orderBy(desc(notifications.id))
    .limit(1);
  return notice;
}

/** A booking (S0001's unless told) in studio A, upcoming at `at` (so its chat is open). */
async function stream(businessCode = "S0001") {
  const { publicId, businessId, startsAt } = await kit.newStream({
    startsAt: STARTS,
    businessCode,
    idPrefix: "chatmod",
    title: "moderation test",
  });
  return { publicId, businessId, at: addMinutes(startsAt, -30) };
}

const later = secondsAfter;
const stored = async () => (await db().select({ n: count() }).from(chatMessages))[0].n;
const sanctions = async () => (await db().select({ n: count() }).from(chatSanctions))[0].n;

async function refused(code: string, work: () => Promise<unknown>) {
  const [messages, silenced] = [await stored(), await sanctions()];
  await expect(work()).rejects.toMatchObject({ code });
  expect(await stored()).toBe(messages);
  expect(await sanctions()).toBe(silenced);
}

const lastAudit = async (action: string) =>
  (await db().select().from(auditLog).where(eq(auditLog.action, action)).orderBy(desc(auditLog.id)).limit(1))[0];

describe("the rate limit: 3 messages in 2 seconds per user", () => {
  it("refuses the fourth within 2 seconds with a reason, and takes it once the window has passed", async () => {
    const s = await stream();
    for (let i = 0; i < 3; i++)
      await postMessage(db(), actors.resident, s.publicId, { body: `m${i}` }, later(s.at, i * 0.5));
    await refused("chat.rateLimited", () =>
      postMessage(db(), actors.resident, s.publicId, { body: "m3" }, later(s.at, 1.9)),
    );
    // Another user is not held back by the first one's messages.
    await postMessage(db(), actors.stallOwner, s.publicId, { body: "hi" }, later(s.at, 1.9));
    // The first message left the window.
    await postMessage(db(), actors.resident, s.publicId, { body: "m3" }, later(s.at, 2.1));
  });

  it("holds for the streaming merchant too", async () => {
    const s = await stream();
    for (let i = 0; i < 3; i++) await postMessage(db(), actors.owner, s.publicId, { body: `m${i}` }, s.at);
    await refused("chat.rateLimited", () => postMessage(db(), actors.owner, s.publicId, { body: "m3" }, s.at));
  });

  it("holds under concurrent sends (the author's row is locked while counting)", async () => {
    const s = await stream();
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => postMessage(db(), actors.resident, s.publicId, { body: `burst ${i}` }, s.at)),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "chat.rateLimited" });
  });
});

describe("slow mode", () => {
  it("is turned on by the streaming business's members, officers and staff; nobody else", async () => {
    const s = await stream();
    await expect(setSlowMode(db(), null, s.publicId, { seconds: 30 })).rejects.toMatchObject({
      code: "errors.forbidden",
    });
    await expect(setSlowMode(db(), actors.resident, s.publicId, { seconds: 30 })).rejects.toMatchObject({
      code: "errors.forbidden",
    });
    await expect(setSlowMode(db(), actors.stallOwner, s.publicId, { seconds: 30 })).rejects.toMatchObject({
      code: "errors.forbidden",
    });
    await expect(setSlowMode(db(), actors.owner, s.publicId, { seconds: -1 })).rejects.toMatchObject({
      code: "chat.invalid",
    });
    await expect(setSlowMode(db(), actors.owner, s.publicId, { seconds: 3600 })).rejects.toMatchObject({
      code: "chat.invalid",
    });
    const [row] = await db().select().from(bookings).where(eq(bookings.publicId, s.publicId));
    expect(row.chatSlowSeconds).toBe(0);
    expect(await setSlowMode(db(), actors.admin, s.publicId, { seconds: 5 })).toEqual({
      publicId: s.publicId,
      slowModeSeconds: 5,
    });
    expect(await setSlowMode(db(), actors.moderator, s.publicId, { seconds: 10 })).toEqual({
      publicId: s.publicId,
      slowModeSeconds: 10,
    });
    await setSlowMode(db(), actors.owner, s.publicId, { seconds: 30 });
    expect(await lastAudit("chat.slowMode")).toMatchObject({
      actorId: actors.owner.userId,
      subjectId: String(row.id),
      before: { seconds: 10 },
      after: { seconds: 30 },
    });
  });

  it("lets a viewer send one message per N seconds; the stream's moderators are exempt", async () => {
    const s = await stream();
    await setSlowMode(db(), actors.owner, s.publicId, { seconds: 30 });
    await postMessage(db(), actors.resident, s.publicId, { body: "one" }, s.at);
    await refused("chat.slowMode", () =>
      postMessage(db(), actors.resident, s.publicId, { body: "two" }, later(s.at, 29)),
    );
    await expect(
      postMessage(db(), actors.resident, s.publicId, { body: "two" }, later(s.at, 29)),
    ).rejects.toMatchObject({
      params: { seconds: 30 },
    });
    await postMessage(db(), actors.resident, s.publicId, { body: "two" }, later(s.at, 31));
    await postMessage(db(), actors.owner, s.publicId, { body: "a" }, s.at);
    await postMessage(db(), actors.owner, s.publicId, { body: "b" }, later(s.at, 3));
    // Off again: the viewer is only held by the rate limit.
    await setSlowMode(db(), actors.owner, s.publicId, { seconds: 0 });
    await postMessage(db(), actors.resident, s.publicId, { body: "three" }, later(s.at, 32));
  });
});

describe("hiding a message", () => {
  it("is refused to visitors, viewers and other businesses' owners", async () => {
    const s = await stream();
    const m = await postMessage(db(), actors.resident, s.publicId, { body: "spam" }, s.at);
    for (const who of [null, actors.resident, actors.stallOwner]) {
      await expect(hideMessage(db(), who, s.publicId, { id: m.id, reason: "spam" }, s.at)).rejects.toMatchObject({
        code: "errors.forbidden",
      });
    }
    await expect(hideMessage(db(), actors.owner, s.publicId, { id: m.id, reason: "" }, s.at)).rejects.toMatchObject({
      code: "chat.reasonRequired",
    });
    // A message of another stream is not this stream's to hide.
    const other = await stream();
    await expect(
      hideMessage(db(), actors.owner, other.publicId, { id: m.id, reason: "spam" }, s.at),
    ).rejects.toMatchObject({
      code: "errors.notFound",
    });
    expect((await chatHistory(db(), null, s.publicId)).map((x) => x.id)).toEqual([m.id]);
  });

  it("takes it out of everyone's history (the author's too), keeps the row, audits and tells the author", async () => {
    for (const moderatorOf of [() => actors.owner, () => actors.moderator, () => actors.admin]) {
      const s = await stream();
      const keep = await postMessage(db(), actors.stallOwner, s.publicId, { body: "fine" }, s.at);
      const m = await postMessage(db(), actors.resident, s.publicId, { body: "rude" }, s.at);
      const who = moderatorOf();
      expect(await hideMessage(db(), who, s.publicId, { id: m.id, reason: "rude words" }, s.at)).toEqual({
        id: m.id,
        publicId: s.publicId,
      });
      for (const reader of [null, actors.resident, actors.owner])
        expect((await chatHistory(db(), reader, s.publicId)).map((x) => x.id)).toEqual([keep.id]);
      const [row] = await db().select().from(chatMessages).where(eq(chatMessages.id, m.id));
      expect(row).toMatchObject({ body: "rude", hiddenBy: who.userId, hiddenReason: "rude words" });
      expect(await lastAudit("chat.hide")).toMatchObject({
        actorId: who.userId,
        subjectId: String(m.id),
        after: { reason: "rude words" },
      });
      const notice = await latestNotice(actors.resident);
      expect(notice).toMatchObject({ kind: "chat.messageHidden", params: { reason: "rude words" } });
    }
  });
});

describe("muting and banning", () => {
  it("is refused to visitors, viewers and other businesses' owners, and never hits the stream's moderators", async () => {
    const s = await stream();
    /** `who` sanctions someone in this stream's chat. */
    const sanction = (who: User | null, input: Parameters<typeof sanctionUser>[3]) => () =>
      sanctionUser(db(), who, s.publicId, input, s.at);
    for (const who of [null, actors.resident, actors.stallOwner]) {
      await refused(
        "errors.forbidden",
        sanction(who, { kind: "mute", userId: actors.resident.userId, minutes: 10, reason: "spam" }),
      );
      await refused("errors.forbidden", sanction(who, { kind: "ban", userId: actors.resident.userId, reason: "spam" }));
    }
    const { moderator, owner, admin, resident } = actors;
    const refusals: [string, User, Parameters<typeof sanctionUser>[3]][] = [
      ["chat.cannotSanction", moderator, { kind: "ban", userId: owner.userId, reason: "spam" }],
      ["chat.cannotSanction", owner, { kind: "mute", userId: admin.userId, minutes: 5, reason: "spam" }],
      ["chat.reasonRequired", owner, { kind: "mute", userId: resident.userId, minutes: 5, reason: " " }],
      ["chat.invalid", owner, { kind: "mute", userId: resident.userId, reason: "spam" }],
      ["chat.invalid", owner, { kind: "mute", userId: resident.userId, minutes: 0, reason: "spam" }],
    ];
    for (const [code, who, input] of refusals) await refused(code, sanction(who, input));
    await postMessage(db(), actors.resident, s.publicId, { body: "still here" }, s.at);
  });

  it("mutes a user in this stream for N minutes and tells them why and until when", async () => {
    const s = await stream();
    const sibling = await stream(); // another stream of the same business
    await sanctionUser(
      db(),
      actors.owner,
      s.publicId,
      { kind: "mute", userId: actors.resident.userId, minutes: 10, reason: "刷屏" },
      s.at,
    );
    await expect(
      postMessage(db(), actors.resident, s.publicId, { body: "hello" }, later(s.at, 60)),
    ).rejects.toMatchObject({
      code: "chat.muted",
      status: 403,
      params: { reason: "刷屏" },
    });
    await refused("chat.muted", () =>
      postMessage(db(), actors.resident, s.publicId, { body: "hello" }, later(s.at, 599)),
    );
    await postMessage(db(), actors.resident, sibling.publicId, { body: "over here" }, sibling.at);
    await postMessage(db(), actors.resident, s.publicId, { body: "back" }, later(s.at, 601));
    expect(await lastAudit("chat.mute")).toMatchObject({
      actorId: actors.owner.userId,
      subjectType: "user",
      subjectId: actors.resident.userId,
      after: { reason: "刷屏", stream: s.publicId },
    });
  });

  it("bans a user from every stream of the business, not from other businesses' streams", async () => {
    const s = await stream();
    const sibling = await stream();
    const elsewhere = await stream("S0002");
    await sanctionUser(
      db(),
      actors.moderator,
      s.publicId,
      { kind: "ban", userId: actors.stallOwner.userId, reason: "harassment" },
      s.at,
    );
    await refused("chat.banned", () =>
      postMessage(db(), actors.stallOwner, s.publicId, { body: "x" }, later(s.at, 1200)),
    );
    await refused("chat.banned", () =>
      postMessage(db(), actors.stallOwner, sibling.publicId, { body: "x" }, sibling.at),
    );
    await postMessage(db(), actors.stallOwner, elsewhere.publicId, { body: "x" }, elsewhere.at);
    expect(await lastAudit("chat.ban")).toMatchObject({
      actorId: actors.moderator.userId,
      subjectId: actors.stallOwner.userId,
      after: { reason: "harassment", businessId: s.businessId },
    });
    const notice = await latestNotice(actors.stallOwner);
    expect(notice).toMatchObject({ kind: "chat.banned", params: { reason: "harassment" } });
  });
});

describe("feedback from the chat", () => {
  it("a viewer's suggestion, complaint or question lands on the desk with the stream, the time and the author", async () => {
    const s = await stream();
    const plain = await postMessage(db(), actors.resident, s.publicId, { body: "just chatting" }, s.at);
    const m = await postMessage(
      db(),
      actors.resident,
      s.publicId,
      { body: "烩面太咸了", kind: "complaint" },
      later(s.at, 1),
    );
    expect(m.kind).toBe("complaint");
    const items = await db().select().from(feedback).where(eq(feedback.streamRef, s.publicId));
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      source: "live_chat",
      kind: "complaint",
      businessId: s.businessId,
      authorId: actors.resident.userId,
      body: "烩面太咸了",
      createdAt: later(s.at, 1),
      status: "new",
    });
    const [row] = await db().select().from(chatMessages).where(eq(chatMessages.id, m.id));
    expect(row.feedbackId).toBe(items[0].id);
    const desk = await deskFeedback(db(), actors.moderator);
    expect(desk.find((f) => f.id === items[0].id)).toMatchObject({ streamRef: s.publicId });
    expect((await db().select().from(chatMessages).where(eq(chatMessages.id, plain.id)))[0].feedbackId).toBeNull();
  });

  it("the streaming merchant or an officer turns any message into a feedback item, once; viewers cannot", async () => {
    const s = await stream();
    const m = await postMessage(db(), actors.resident, s.publicId, { body: "几点开门？" }, s.at);
    const before = (await db().select({ n: count() }).from(feedback))[0].n;
    for (const who of [null, actors.resident, actors.stallOwner]) {
      await expect(
        messageToFeedback(db(), who, s.publicId, { id: m.id, kind: "question" }, s.at),
      ).rejects.toMatchObject({ code: "errors.forbidden" });
    }
    await expect(
      messageToFeedback(db(), actors.owner, s.publicId, { id: m.id, kind: "nonsense" }, s.at),
    ).rejects.toMatchObject({ code: "chat.invalid" });
    expect((await db().select({ n: count() }).from(feedback))[0].n).toBe(before);
    const { feedbackId } = await messageToFeedback(
      db(),
      actors.owner,
      s.publicId,
      { id: m.id, kind: "question" },
      later(s.at, 5),
    );
    const [item] = await db().select().from(feedback).where(eq(feedback.id, feedbackId));
    expect(item).toMatchObject({
      source: "live_chat",
      kind: "question",
      authorId: actors.resident.userId,
      streamRef: s.publicId,
      body: "几点开门？",
      createdAt: s.at,
    });
    await expect(
      messageToFeedback(db(), actors.moderator, s.publicId, { id: m.id, kind: "complaint" }, s.at),
    ).rejects.toMatchObject({ code: "chat.alreadyFeedback" });
    expect(await lastAudit("chat.toFeedback")).toMatchObject({
      actorId: actors.owner.userId,
      subjectId: String(m.id),
      after: { feedbackId },
    });
  });
});

describe("a pinned product", () => {
  const productsOf = (businessId: number) =>
    db().select().from(products).where(eq(products.businessId, businessId)).orderBy(products.id);

  it("is pinned by the streaming business's members only, and only its own products on sale", async () => {
    const s = await stream();
    const [mine] = await productsOf(s.businessId);
    const [theirs] = await db()
      .select({ id: products.id })
      .from(products)
      .innerJoin(businesses, eq(businesses.id, products.businessId))
      .where(eq(businesses.code, "S0002"));
    for (const who of [null, actors.resident, actors.stallOwner, actors.moderator, actors.admin]) {
      await expect(pinProduct(db(), who, s.publicId, { productId: mine.id }, s.at)).rejects.toMatchObject({
        code: "errors.forbidden",
      });
    }
    await expect(pinProduct(db(), actors.owner, s.publicId, { productId: theirs.id }, s.at)).rejects.toMatchObject({
      code: "chat.pinNotYours",
    });
    await expect(pinProduct(db(), actors.owner, s.publicId, { productId: 999_999 }, s.at)).rejects.toMatchObject({
      code: "chat.pinNotYours",
    });
    await expect(pinProduct(db(), actors.owner, s.publicId, { productId: "1" }, s.at)).rejects.toMatchObject({
      code: "chat.invalid",
    });
    const [hidden] = await db()
      .insert(products)
      .values({ businessId: s.businessId, name: "下架商品", priceFen: 100, hidden: true })
      .returning();
    await expect(pinProduct(db(), actors.owner, s.publicId, { productId: hidden.id }, s.at)).rejects.toMatchObject({
      code: "chat.pinNotYours",
    });
    expect(await db().select().from(chatPins)).toEqual(
      expect.not.arrayContaining([expect.objectContaining({ productId: hidden.id })]),
    );
    expect(await pinnedProduct(db(), s.publicId)).toBeNull();
    expect(await pinChoices(db(), actors.resident, s.publicId)).toEqual([]);
    expect((await pinChoices(db(), actors.owner, s.publicId)).map((p) => p.id)).not.toContain(hidden.id);
  });

  it("stays until replaced or unpinned, and every change is audited", async () => {
    const s = await stream();
    const [first, second] = await productsOf(s.businessId);
    expect(await pinProduct(db(), actors.owner, s.publicId, { productId: first.id }, s.at)).toEqual({
      publicId: s.publicId,
      product: { id: first.id, name: first.name, priceFen: first.priceFen },
    });
    expect(await pinnedProduct(db(), s.publicId)).toEqual({
      id: first.id,
      name: first.name,
      priceFen: first.priceFen,
    });
    await pinProduct(db(), actors.owner, s.publicId, { productId: second.id }, s.at);
    expect((await pinnedProduct(db(), s.publicId))!.id).toBe(second.id);
    expect(await lastAudit("chat.pin")).toMatchObject({
      actorId: actors.owner.userId,
      before: { productId: first.id },
      after: { productId: second.id },
    });
    expect(await pinProduct(db(), actors.owner, s.publicId, { productId: null }, s.at)).toEqual({
      publicId: s.publicId,
      product: null,
    });
    expect(await pinnedProduct(db(), s.publicId)).toBeNull();
    expect(await lastAudit("chat.unpin")).toMatchObject({
      actorId: actors.owner.userId,
      before: { productId: second.id },
    });
  });
});

describe("live polls", () => {
  const ask = { question: "下次直播卖什么？", options: ["烩面", "凉皮", "胡辣汤"] };

  it("are asked by the streaming business's members, officers and staff, with 2 to 6 different options", async () => {
    const s = await stream();
    for (const who of [null, actors.resident, actors.stallOwner]) {
      await expect(openPoll(db(), who, s.publicId, ask, s.at)).rejects.toMatchObject({
        code: "errors.forbidden",
      });
    }
    await expect(
      openPoll(db(), actors.owner, s.publicId, { ...ask, options: ["只有一个", " "] }, s.at),
    ).rejects.toMatchObject({ code: "chat.pollOptions" });
    await expect(
      openPoll(db(), actors.owner, s.publicId, { ...ask, options: ["1", "2", "3", "4", "5", "6", "7"] }, s.at),
    ).rejects.toMatchObject({ code: "chat.pollOptions" });
    await expect(
      openPoll(db(), actors.owner, s.publicId, { ...ask, options: ["同", "同"] }, s.at),
    ).rejects.toMatchObject({
      code: "chat.pollOptions",
    });
    await expect(openPoll(db(), actors.owner, s.publicId, { ...ask, question: "?" }, s.at)).rejects.toMatchObject({
      code: "chat.pollQuestion",
    });
    expect(await streamPolls(db(), null, s.publicId)).toEqual([]);
    for (const who of [actors.owner, actors.moderator, actors.admin]) {
      const poll = await openPoll(db(), who, s.publicId, { ...ask, options: [...ask.options, "", "  "] }, s.at);
      expect(poll).toMatchObject({
        question: ask.question,
        options: ask.options,
        votes: [0, 0, 0],
        open: true,
        myVote: null,
      });
      expect(await lastAudit("chat.pollOpen")).toMatchObject({ actorId: who.userId, subjectId: String(poll.id) });
      await closePoll(db(), who, s.publicId, { pollId: poll.id }, s.at);
    }
  });

  it("one open poll per stream at a time, even when two ask at once", async () => {
    const s = await stream();
    const results = await Promise.allSettled([
      openPoll(db(), actors.owner, s.publicId, ask, s.at),
      openPoll(db(), actors.moderator, s.publicId, ask, s.at),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const first = (results.find((r) => r.status === "fulfilled") as PromiseFulfilledResult<{ id: number }>).value;
    await expect(openPoll(db(), actors.owner, s.publicId, ask, s.at)).rejects.toMatchObject({
      code: "chat.pollAlreadyOpen",
    });
    for (const who of [actors.resident, actors.stallOwner]) {
      await expect(closePoll(db(), who, s.publicId, { pollId: first.id }, s.at)).rejects.toMatchObject({
        code: "errors.forbidden",
      });
    }
    const closed = await closePoll(db(), actors.owner, s.publicId, { pollId: first.id }, s.at);
    expect(closed.open).toBe(false);
    await expect(closePoll(db(), actors.owner, s.publicId, { pollId: first.id }, s.at)).rejects.toMatchObject({
      code: "chat.pollClosed",
    });
    await openPoll(db(), actors.owner, s.publicId, ask, s.at);
  });

  it("take one vote per account; results stay after the poll closes and the stream ends", async () => {
    const s = await stream();
    const poll = await openPoll(db(), actors.owner, s.publicId, ask, s.at);
    /** `who` votes for `option` of the poll, on the stream `publicId` (the poll's unless named). */
    const vote = (who: User | null, option: number, publicId = s.publicId) =>
      votePoll(db(), who, publicId, { pollId: poll.id, option }, s.at);
    await expect(vote(null, 0)).rejects.toMatchObject({ code: "auth.required" });
    await expect(vote(actors.resident, 3)).rejects.toMatchObject({ code: "chat.invalid" });
    expect(await vote(actors.resident, 1)).toMatchObject({ votes: [0, 1, 0], myVote: 1 });
    await expect(vote(actors.resident, 2)).rejects.toMatchObject({ code: "chat.alreadyVoted" });
    expect(await vote(actors.stallOwner, 1)).toMatchObject({ votes: [0, 2, 0], myVote: 1 });
    const other = await stream();
    await expect(vote(actors.owner, 0, other.publicId)).rejects.toMatchObject({ code: "errors.notFound" });
    await closePoll(db(), actors.owner, s.publicId, { pollId: poll.id }, s.at);
    await expect(vote(actors.owner, 0)).rejects.toMatchObject({ code: "chat.pollClosed" });
    const replay = await streamPolls(db(), null, s.publicId);
    expect(replay).toEqual([
      {
        id: poll.id,
        publicId: s.publicId,
        question: ask.question,
        options: ask.options,
        votes: [0, 2, 0],
        open: false,
        myVote: null,
      },
    ]);
    expect((await streamPolls(db(), actors.resident, s.publicId))[0].myVote).toBe(1);
  });
});

describe("moderation on socket.io", () => {
  const { now, client } = useChatServer({
    db,
    users: () => ({ resident: actors.resident, owner: actors.owner, stallOwner: actors.stallOwner }),
  });

  it("a moderator's hide reaches everyone in the room at once; a viewer's is refused", async () => {
    const s = await stream();
    now.at = s.at;
    const [viewer, merchant] = await Promise.all([client("resident"), client("owner")]);
    const joined = (await viewer.emitWithAck("chat:join", { publicId: s.publicId })) as ChatJoinAck;
    expect(joined).toMatchObject({ ok: true, slowModeSeconds: 0, canModerate: false });
    expect(await merchant.emitWithAck("chat:join", { publicId: s.publicId })).toMatchObject({
      ok: true,
      canModerate: true,
    });
    const hidden: unknown[] = [];
    viewer.on("chat:hidden", (p) => hidden.push(p));
    const sent = (await viewer.emitWithAck("chat:send", { publicId: s.publicId, body: "spam" })) as ChatSendAck & {
      id: number;
    };
    expect(await viewer.emitWithAck("chat:hide", { publicId: s.publicId, id: sent.id, reason: "mine" })).toMatchObject({
      ok: false,
      error: "errors.forbidden",
    });
    expect(await merchant.emitWithAck("chat:hide", { publicId: s.publicId, id: sent.id, reason: "spam" })).toEqual({
      ok: true,
    });
    await expect.poll(() => hidden).toEqual([{ publicId: s.publicId, id: sent.id }]);
    expect(await viewer.emitWithAck("chat:join", { publicId: s.publicId })).toMatchObject({ ok: true, messages: [] });
  });

  it("a muted user is refused with the reason in their language; slow mode reaches the room", async () => {
    const s = await stream();
    now.at = s.at;
    const [zh, merchant, en] = await Promise.all([client("resident"), client("owner"), client("stallOwner", "en")]);
    await Promise.all([zh, merchant, en].map((c) => c.emitWithAck("chat:join", { publicId: s.publicId })));
    expect(
      await en.emitWithAck("chat:sanction", {
        publicId: s.publicId,
        kind: "mute",
        userId: actors.resident.userId,
        minutes: 10,
        reason: "x",
      }),
    ).toMatchObject({
      ok: false,
      error: "errors.forbidden",
    });
    expect(
      await merchant.emitWithAck("chat:sanction", {
        publicId: s.publicId,
        kind: "mute",
        userId: actors.resident.userId,
        minutes: 10,
        reason: "刷屏",
      }),
    ).toEqual({ ok: true });
    expect(
      await merchant.emitWithAck("chat:sanction", {
        publicId: s.publicId,
        kind: "mute",
        userId: actors.stallOwner.userId,
        minutes: 10,
        reason: "spamming",
      }),
    ).toEqual({ ok: true });
    const zhRefusal = (await zh.emitWithAck("chat:send", { publicId: s.publicId, body: "hi" })) as ChatOkAck & {
      message: string;
    };
    expect(zhRefusal).toMatchObject({ ok: false, error: "chat.muted" });
    expect(zhRefusal.message).toMatch(/^你已被禁言至 \d\d:\d\d，原因：刷屏$/);
    const enRefusal = (await en.emitWithAck("chat:send", { publicId: s.publicId, body: "hi" })) as ChatOkAck & {
      message: string;
    };
    expect(enRefusal.message).toMatch(/^You are muted until \d\d:\d\d\. Reason: spamming$/);

    const settings: unknown[] = [];
    zh.on("chat:settings", (p) => settings.push(p));
    expect(await zh.emitWithAck("chat:slowMode", { publicId: s.publicId, seconds: 10 })).toMatchObject({
      ok: false,
      error: "errors.forbidden",
    });
    expect(await merchant.emitWithAck("chat:slowMode", { publicId: s.publicId, seconds: 10 })).toEqual({ ok: true });
    await expect.poll(() => settings).toEqual([{ publicId: s.publicId, slowModeSeconds: 10 }]);
    expect(
      await merchant.emitWithAck("chat:toFeedback", { publicId: s.publicId, id: 999_999_999, kind: "question" }),
    ).toMatchObject({ ok: false, error: "errors.notFound" });

    // A pin reaches the room, and a late joiner gets it with the join.
    const [product] = await db().select().from(products).where(eq(products.businessId, s.businessId)).limit(1);
    const pins: unknown[] = [];
    zh.on("chat:pinned", (p) => pins.push(p));
    expect(await zh.emitWithAck("chat:pin", { publicId: s.publicId, productId: product.id })).toMatchObject({
      ok: false,
      error: "errors.forbidden",
    });
    expect(await merchant.emitWithAck("chat:pin", { publicId: s.publicId, productId: product.id })).toEqual({
      ok: true,
    });
    const card = { id: product.id, name: product.name, priceFen: product.priceFen };
    await expect.poll(() => pins).toEqual([{ publicId: s.publicId, product: card }]);
    const late = await client();
    expect(await late.emitWithAck("chat:join", { publicId: s.publicId })).toMatchObject({ ok: true, pinned: card });
    expect(
      await db()
        .select({ n: count() })
        .from(chatSanctions)
        .where(and(eq(chatSanctions.userId, actors.resident.userId), eq(chatSanctions.kind, "mute"))),
    ).not.toEqual([{ n: 0 }]);
  });
});
