import { and, eq } from "drizzle-orm";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rowsOf } from "../../db/client";
import {
  allianceAnnouncements,
  allianceBallotBox,
  allianceBallotParticipation,
  allianceBallots,
  allianceCandidates,
  allianceComments,
  allianceProposals,
  allianceReports,
  allianceVotes,
  auditLog,
  businessMembers,
  notifications,
  userRoles,
} from "../../db/schema";
import { DEMO_USERS } from "../../db/seed/demo";
import type { User } from "~/domain/accounts/actor";
import { createActivity, signUp } from "~/domain/alliance/activities.server";
import {
  addComment,
  appointModerator,
  editComment,
  listAnnouncements,
  moderatePost,
  postAnnouncement,
  postSystemAnnouncement,
  reportPost,
  reviewQueue,
} from "~/domain/alliance/board.server";
import {
  ballotCounted,
  castBallot,
  createElection,
  getElection,
  nominate,
  settleDueElections,
} from "~/domain/alliance/elections.server";
import { memberBusinessCount } from "~/domain/alliance/members.server";
import {
  addFollowUp,
  castVote,
  createProposal,
  editProposal,
  getProposal,
  listProposals,
  openVoting,
  similarProposals,
} from "~/domain/alliance/proposals.server";
import { action as newProposalAction } from "~/routes/alliance.proposals.new";
import { proposalUpForDiscussion, shopOwnersProposal } from "../helpers/alliance";
import { testClock, useTestDatabase } from "../helpers/kit";
import { whileJobsRun } from "../helpers/jobs";

const kit = useTestDatabase();
const { db, rows, actor, demo, businessId } = kit;
const HOUR = 3_600_000;
const { T0, plusHours: after } = testClock("2026-12-01T02:00:00Z");
/** Proposals go up for discussion two days before T0, past the minimum discussion period (24 h). */
const DISCUSSED = after(-48);

let ownerCounter = 0;
/** A new owner account for an unclaimed shop: one more member business of the alliance. */
const newOwner = () => kit.newOwner(`S0${String(400 + ++ownerCounter).padStart(3, "0")}`);

const proposalInDiscussion = (title = "测试议题") => proposalUpForDiscussion(kit, title, DISCUSSED);

/** Every owner account (one member business each; the demo owners first), to cast votes in order. */
async function voters() {
  const owners = await db()
    .select({ userId: businessMembers.userId, businessId: businessMembers.businessId })
    .from(businessMembers)
    .where(eq(businessMembers.role, "owner"));
  const demoIds: string[] = [
    DEMO_USERS.shopOwner.id,
    DEMO_USERS.stallOwner.id,
    DEMO_USERS.president.id,
    DEMO_USERS.vicePresident1.id,
    DEMO_USERS.vicePresident2.id,
    DEMO_USERS.moderator.id,
  ];
  const rank = (id: string) => (demoIds.includes(id) ? demoIds.indexOf(id) : demoIds.length);
  owners.sort((a, b) => rank(a.userId) - rank(b.userId) || a.businessId - b.businessId);
  return Promise.all(owners.map(async (o) => ({ user: await actor(o.userId), businessId: o.businessId })));
}

/** Abstentions that bring `choices` up to the quorum of today's member count. */
async function padToQuorum(choices: ("support" | "oppose" | "abstain")[]) {
  const quorum = Math.ceil((await memberBusinessCount(db())) / 2);
  return [...choices, ...Array<"abstain">(Math.max(0, quorum - choices.length)).fill("abstain")];
}

describe("proposals", () => {
  it("a merchant raises one for their business; residents and other businesses' owners cannot, and nothing is written", async () => {
    const before = await rows(allianceProposals);
    const resident = await demo("resident");
    const stall = await demo("stallOwner");
    const input = {
      businessId: await businessId("S0001"),
      category: "service" as const,
      title: "夜市照明",
      body: "正文",
      resultVisibility: "live" as const,
      publish: "discussion" as const,
    };
    await expect(createProposal(db(), resident, input, T0)).rejects.toMatchObject({ status: 403 });
    await expect(createProposal(db(), stall, input, T0)).rejects.toMatchObject({ status: 403 });
    expect(await rows(allianceProposals)).toBe(before);
    const proposal = await createProposal(db(), await demo("shopOwner"), input, T0);
    expect(proposal).toMatchObject({ status: "discussion", authorId: DEMO_USERS.shopOwner.id });
  });

  it("only the author edits, and only before voting", async () => {
    const proposal = await proposalInDiscussion();
    const other = await demo("president");
    await expect(
      editProposal(db(), other, proposal.id, { title: "改了", body: "改了", category: "other" }, T0),
    ).rejects.toMatchObject({ status: 403 });
    const [row] = await db().select().from(allianceProposals).where(eq(allianceProposals.id, proposal.id));
    expect(row.title).toBe("测试议题");
    await openVoting(db(), await demo("shopOwner"), proposal.id, 24, T0);
    await expect(
      editProposal(db(), await demo("shopOwner"), proposal.id, { title: "改了", body: "改了", category: "other" }, T0),
    ).rejects.toMatchObject({
      code: "alliance.errors.notEditable",
    });
  });

  it("fixes the rule when voting opens: later members do not move the quorum", async () => {
    const proposal = await proposalInDiscussion();
    const members = await memberBusinessCount(db());
    await openVoting(db(), await demo("shopOwner"), proposal.id, 24, T0);
    await newOwner();
    const [row] = await db().select().from(allianceProposals).where(eq(allianceProposals.id, proposal.id));
    expect(row).toMatchObject({ memberCount: members, quorum: Math.ceil(members / 2), supportPercent: 50 });
    expect(await memberBusinessCount(db())).toBe(members + 1);
  });

  it("refuses votes outside the window, from residents and from a business the voter does not own; nothing is written", async () => {
    const proposal = await proposalInDiscussion();
    const merchant = await demo("shopOwner");
    const s0001 = await businessId("S0001");
    await expect(
      castVote(db(), merchant, proposal.id, { businessId: s0001, choice: "support" }, T0),
    ).rejects.toMatchObject({ code: "alliance.errors.votingClosed" });
    await openVoting(db(), merchant, proposal.id, 24, T0);
    await expect(
      castVote(db(), await demo("resident"), proposal.id, { businessId: s0001, choice: "support" }, after(1)),
    ).rejects.toMatchObject({ status: 403 });
    await expect(
      castVote(db(), await demo("stallOwner"), proposal.id, { businessId: s0001, choice: "support" }, after(1)),
    ).rejects.toMatchObject({ status: 403 });
    await expect(
      castVote(db(), merchant, proposal.id, { businessId: s0001, choice: "support" }, after(24)),
    ).rejects.toMatchObject({ code: "alliance.errors.votingClosed" });
    expect(await rows(allianceVotes, eq(allianceVotes.proposalId, proposal.id))).toBe(0);
  });

  it("lets a business change its vote until the window closes; one vote per business", async () => {
    const proposal = await proposalInDiscussion();
    const merchant = await demo("shopOwner");
    const s0001 = await businessId("S0001");
    await openVoting(db(), merchant, proposal.id, 24, T0);
    await castVote(db(), merchant, proposal.id, { businessId: s0001, choice: "oppose" }, after(1));
    await castVote(db(), merchant, proposal.id, { businessId: s0001, choice: "support" }, after(2));
    const votes = await db().select().from(allianceVotes).where(eq(allianceVotes.proposalId, proposal.id));
    expect(votes).toHaveLength(1);
    expect(votes[0].choice).toBe("support");
  });

  it("an owner of two businesses votes for each, choosing which one acts", async () => {
    const proposal = await proposalInDiscussion();
    const owner = await newOwner();
    const second = await businessId("S0499");
    await db().insert(businessMembers).values({ businessId: second, userId: owner.userId, role: "owner" });
    await openVoting(db(), await demo("shopOwner"), proposal.id, 24, T0);
    const both = await actor(owner.userId);
    await castVote(db(), both, proposal.id, { businessId: owner.businessId, choice: "support" }, after(1));
    await castVote(db(), both, proposal.id, { businessId: second, choice: "oppose" }, after(1));
    const votes = await db().select().from(allianceVotes).where(eq(allianceVotes.proposalId, proposal.id));
    expect(votes.map((v) => [v.businessId, v.choice]).sort()).toEqual(
      [
        [owner.businessId, "support"],
        [second, "oppose"],
      ].sort(),
    );
    expect(votes.every((v) => v.castBy === owner.userId)).toBe(true);
  });

  it("counts 50 concurrent votes of one business once", async () => {
    const proposal = await proposalInDiscussion();
    const merchant = await demo("shopOwner");
    const s0001 = await businessId("S0001");
    await openVoting(db(), merchant, proposal.id, 24, T0);
    const choices = ["support", "oppose", "abstain"] as const;
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        castVote(db(), merchant, proposal.id, { businessId: s0001, choice: choices[i % 3] }, after(1)),
      ),
    );
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    expect(await rows(allianceVotes, eq(allianceVotes.proposalId, proposal.id))).toBe(1);
    const view = await getProposal(db(), merchant, proposal.id, after(2));
    expect(view.tally!.support + view.tally!.oppose + view.tally!.abstain).toBe(1);
  });

  async function decide(choices: ("support" | "oppose" | "abstain")[], visibility: "live" | "after_close" = "live") {
    const { merchant, proposal } = await shopOwnersProposal(
      kit,
      { category: "activity", title: "决议测试", resultVisibility: visibility },
      DISCUSSED,
    );
    await openVoting(db(), merchant, proposal.id, 24, T0);
    const people = await voters();
    for (const [i, choice] of choices.entries()) {
      await castVote(db(), people[i].user, proposal.id, { businessId: people[i].businessId, choice }, after(1));
    }
    return proposal;
  }

  it("adopts at exactly the quorum with a majority, and tells the proposer", async () => {
    const members = await memberBusinessCount(db());
    const quorum = Math.ceil(members / 2);
    const proposal = await decide([...Array(quorum - 1).fill("support"), "abstain"]);
    const mine = and(
      eq(notifications.userId, DEMO_USERS.shopOwner.id),
      eq(notifications.link, `/alliance/proposals/${proposal.id}`),
    );
    expect(await rows(notifications, mine)).toBe(0);
    const view = await getProposal(db(), null, proposal.id, after(24));
    expect(view.proposal.status).toBe("adopted");
    expect(view.outcome).toMatchObject({ turnout: quorum, quorumReached: true, adopted: true });
    expect(await rows(notifications, and(mine, eq(notifications.kind, "alliance.proposalAdopted")))).toBe(1);
    expect(
      await rows(
        auditLog,
        and(
          eq(auditLog.subjectType, "proposal"),
          eq(auditLog.subjectId, String(proposal.id)),
          eq(auditLog.action, "proposal.adopted"),
        ),
      ),
    ).toBe(1);
    // Reading again settles nothing twice.
    await getProposal(db(), null, proposal.id, after(48));
    expect(await rows(notifications, mine)).toBe(1);
  });

  it("rejects one short of the quorum even when all support", async () => {
    const members = await memberBusinessCount(db());
    const proposal = await decide(Array(Math.ceil(members / 2) - 1).fill("support"));
    const view = await getProposal(db(), null, proposal.id, after(24));
    expect(view.proposal.status).toBe("rejected");
    expect(view.outcome).toMatchObject({ quorumReached: false });
  });

  it("rejects a tie between support and oppose", async () => {
    const proposal = await decide(await padToQuorum(["support", "support", "oppose", "oppose"]));
    const view = await getProposal(db(), null, proposal.id, after(24));
    expect(view.proposal.status).toBe("rejected");
    expect(view.outcome).toMatchObject({ quorumReached: true, majority: false });
  });

  it("hides the tally until the close when the proposer chose so", async () => {
    const proposal = await decide(await padToQuorum(["support", "support", "support", "oppose"]), "after_close");
    expect((await getProposal(db(), null, proposal.id, after(2))).tally).toBeNull();
    const closed = await getProposal(db(), null, proposal.id, after(24));
    expect(closed.tally).toMatchObject({ support: 3, oppose: 1 });
    expect(closed.proposal.status).toBe("adopted");
  });

  it("records follow-up on adopted proposals by officers only", async () => {
    const proposal = await decide(Array(Math.ceil((await memberBusinessCount(db())) / 2)).fill("support"));
    await expect(
      addFollowUp(db(), await demo("shopOwner"), proposal.id, { status: "planned", note: "计划" }, after(25)),
    ).rejects.toMatchObject({ status: 403 });
    await addFollowUp(db(), await demo("president"), proposal.id, { status: "planned", note: "下周采购" }, after(25));
    await addFollowUp(db(), await demo("vicePresident1"), proposal.id, { status: "done", note: "已装好" }, after(49));
    const view = await getProposal(db(), null, proposal.id, after(50));
    expect(view.followUps.map((f) => f.status)).toEqual(["planned", "done"]);
    expect(view.proposal.followUpStatus).toBe("done");
  });

  it("suggests similar proposals for short Chinese titles", async () => {
    await proposalInDiscussion("夜市统一收摊时间");
    const similar = await similarProposals(db(), "收摊时间");
    expect(similar.map((s) => s.title)).toContain("夜市统一收摊时间");
    expect((await similarProposals(db(), "党员便民服务日")).map((s) => s.title)).toContain(
      "党员商户每月一次便民服务日",
    );
    expect(await similarProposals(db(), "停车位")).toEqual([]);
  });

  it("without JavaScript, the form's preview submit shows the suggestions and writes nothing", async () => {
    const before = await rows(allianceProposals);
    const form = new FormData();
    form.set("intent", "preview");
    form.set("businessId", String(await businessId("S0001")));
    form.set("title", "周末营业时间");
    const result = await newProposalAction({
      request: new Request("http://x/alliance/proposals/new", { method: "POST", body: form }),
      params: {},
      context: { db: db(), actor: await demo("shopOwner") } as never,
    });
    expect((result as { similar: { title: string }[] }).similar.map((s) => s.title)).toContain(
      "统一延长周末营业时间到晚上十点",
    );
    expect(await rows(allianceProposals)).toBe(before);
  });

  it("shows drafts to their author only", async () => {
    const { merchant, proposal: draft } = await shopOwnersProposal(kit, { title: "草稿议题", publish: "draft" }, T0);
    expect((await listProposals(db(), merchant, T0)).some((p) => p.id === draft.id)).toBe(true);
    expect((await listProposals(db(), await demo("president"), T0)).some((p) => p.id === draft.id)).toBe(false);
    expect((await listProposals(db(), await demo("admin"), T0)).some((p) => p.id === draft.id)).toBe(true);
    await expect(getProposal(db(), null, draft.id, T0)).rejects.toMatchObject({ status: 404 });
  });
});

describe("the alliance schedule", () => {
  it("settles a proposal whose window has passed without anyone reading it", async () => {
    const past = new Date(Date.now() - 48 * HOUR);
    const { merchant, proposal } = await shopOwnersProposal(
      kit,
      { title: "定时结算" },
      new Date(past.getTime() - 48 * HOUR),
    );
    await openVoting(db(), merchant, proposal.id, 24, past);
    const status = async () =>
      (
        await db()
          .select({ status: allianceProposals.status })
          .from(allianceProposals)
          .where(eq(allianceProposals.id, proposal.id))
      )[0].status;
    await whileJobsRun(db(), () => expect.poll(status, { timeout: 10_000 }).toBe("rejected"));
  });
});

describe("comments, announcements and moderation", () => {
  it("allows one level of replies, and only the author edits a comment", async () => {
    const proposal = await proposalInDiscussion();
    const top = await addComment(db(), await demo("president"), proposal.id, { body: "好主意" }, T0);
    const reply = await addComment(db(), await demo("shopOwner"), proposal.id, { body: "谢谢", parentId: top.id }, T0);
    await expect(
      addComment(db(), await demo("vicePresident1"), proposal.id, { body: "套娃", parentId: reply.id }, T0),
    ).rejects.toMatchObject({ code: "alliance.errors.badReply" });
    await expect(addComment(db(), await demo("resident"), proposal.id, { body: "居民" }, T0)).rejects.toMatchObject({
      status: 403,
    });
    await expect(editComment(db(), await demo("shopOwner"), top.id, "篡改")).rejects.toMatchObject({ status: 403 });
    expect(await rows(allianceComments, eq(allianceComments.proposalId, proposal.id))).toBe(2);
    const [row] = await db().select().from(allianceComments).where(eq(allianceComments.id, top.id));
    expect(row.body).toBe("好主意");
  });

  it("posts announcements by officers and staff, pinned first; the community posts its own", async () => {
    await expect(postAnnouncement(db(), await demo("shopOwner"), { title: "x", body: "y" }, T0)).rejects.toMatchObject({
      status: 403,
    });
    await postAnnouncement(db(), await demo("admin"), { title: "停电通知", body: "周三停电", pinned: false }, after(1));
    await db().transaction((tx) =>
      postSystemAnnouncement(tx, { title: "授牌公告", body: "恭喜", pinned: true }, after(2)),
    );
    const list = await listAnnouncements(db(), null);
    expect(list.filter((a) => a.pinned).map((a) => a.title)).toContain("授牌公告");
    expect(list.findIndex((a) => a.title === "授牌公告")).toBeLessThan(list.findIndex((a) => a.title === "停电通知"));
    expect(list.find((a) => a.title === "授牌公告")!.authorName).toBeNull();
  });

  it("hides a post at the third report, queues it, and an officer restores it with a reason", async () => {
    const proposal = await proposalInDiscussion();
    const comment = await addComment(db(), await demo("shopOwner"), proposal.id, { body: "广告：低价出售" }, T0);
    const target = { kind: "comment" as const, subjectId: comment.id };
    await expect(reportPost(db(), await demo("resident"), { ...target, reason: "spam" }, T0)).rejects.toMatchObject({
      status: 403,
    });
    expect(await reportPost(db(), await demo("president"), { ...target, reason: "spam" }, T0)).toEqual({
      hidden: false,
    });
    await expect(
      reportPost(db(), await demo("president"), { ...target, reason: "offensive" }, T0),
    ).rejects.toMatchObject({ code: "alliance.errors.alreadyReported" });
    expect(await reportPost(db(), await demo("vicePresident1"), { ...target, reason: "spam" }, T0)).toEqual({
      hidden: false,
    });
    const notesBefore = await rows(
      notifications,
      and(eq(notifications.userId, DEMO_USERS.shopOwner.id), eq(notifications.kind, "alliance.postHidden")),
    );
    expect(await reportPost(db(), await demo("stallOwner"), { ...target, reason: "off_topic" }, T0)).toEqual({
      hidden: true,
    });
    expect(
      await rows(
        notifications,
        and(eq(notifications.userId, DEMO_USERS.shopOwner.id), eq(notifications.kind, "alliance.postHidden")),
      ),
    ).toBe(notesBefore + 1);

    // Hidden from readers, shown to officers and the author.
    const publicView = await getProposal(db(), null, proposal.id, T0);
    expect(publicView.comments.some((c) => c.id === comment.id)).toBe(false);
    expect(
      (await getProposal(db(), await demo("shopOwner"), proposal.id, T0)).comments.find((c) => c.id === comment.id)!
        .hidden,
    ).toBe(true);
    expect(
      (await getProposal(db(), await demo("moderator"), proposal.id, T0)).comments.some((c) => c.id === comment.id),
    ).toBe(true);

    const queue = await reviewQueue(db(), await demo("moderator"));
    expect(queue.find((q) => q.kind === "comment" && q.subjectId === comment.id)).toMatchObject({
      reports: 3,
      hidden: true,
    });
    await expect(reviewQueue(db(), await demo("shopOwner"))).rejects.toMatchObject({ status: 403 });
    await expect(
      moderatePost(db(), await demo("shopOwner"), { ...target, decision: "restore", reason: "我的" }, T0),
    ).rejects.toMatchObject({ status: 403 });

    await moderatePost(db(), await demo("moderator"), { ...target, decision: "restore", reason: "不是广告" }, after(1));
    const [row] = await db().select().from(allianceComments).where(eq(allianceComments.id, comment.id));
    expect(row.hiddenAt).toBeNull();
    expect(
      await rows(
        allianceReports,
        and(
          eq(allianceReports.subjectId, comment.id),
          eq(allianceReports.subjectKind, "comment"),
          sql`${allianceReports.resolvedAt} is null`,
        ),
      ),
    ).toBe(0);
    expect(
      (await reviewQueue(db(), await demo("moderator"))).some(
        (q) => q.subjectId === comment.id && q.kind === "comment",
      ),
    ).toBe(false);
    expect(
      await rows(
        notifications,
        and(eq(notifications.userId, DEMO_USERS.shopOwner.id), eq(notifications.kind, "alliance.postRestored")),
      ),
    ).toBeGreaterThan(0);
    const actions = (
      await db()
        .select({ action: auditLog.action })
        .from(auditLog)
        .where(and(eq(auditLog.subjectType, "comment"), eq(auditLog.subjectId, String(comment.id))))
    ).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["post.reported", "post.autoHidden", "post.restored"]));
  });

  it("lets officers hide a post with a reason and tells the author", async () => {
    const merchant = await demo("shopOwner");
    await postAnnouncement(db(), await demo("president"), { title: "错误公告", body: "发错了" }, T0);
    const [a] = await db().select().from(allianceAnnouncements).where(eq(allianceAnnouncements.title, "错误公告"));
    await moderatePost(
      db(),
      await demo("vicePresident1"),
      { kind: "announcement", subjectId: a.id, decision: "hide", reason: "内容有误" },
      T0,
    );
    expect((await listAnnouncements(db(), merchant)).some((x) => x.id === a.id)).toBe(false);
    const [note] = await db()
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, DEMO_USERS.president.id), eq(notifications.kind, "alliance.postHidden")));
    expect(note.params).toMatchObject({ reason: "内容有误" });
  });

  it("lets the president appoint a moderator, not a plain merchant", async () => {
    await expect(appointModerator(db(), await demo("shopOwner"), DEMO_USERS.stallOwner.phone)).rejects.toMatchObject({
      status: 403,
    });
    await appointModerator(db(), await demo("president"), DEMO_USERS.stallOwner.phone);
    expect((await demo("stallOwner")).roles).toContain("moderator");
    expect(
      await rows(
        notifications,
        and(eq(notifications.userId, DEMO_USERS.stallOwner.id), eq(notifications.kind, "alliance.moderatorAppointed")),
      ),
    ).toBe(1);
    await db()
      .delete(userRoles)
      .where(and(eq(userRoles.userId, DEMO_USERS.stallOwner.id), eq(userRoles.role, "moderator")));
  });
});

describe("joint activities", () => {
  it("signs a business up once, within the capacity", async () => {
    await expect(
      createActivity(db(), await demo("shopOwner"), {
        title: "x",
        body: "y",
        place: "z",
        startsAt: after(48),
        endsAt: after(50),
      }),
    ).rejects.toMatchObject({ status: 403 });
    const activity = await createActivity(db(), await demo("president"), {
      title: "义诊",
      body: "免费",
      place: "服务大厅",
      startsAt: after(48),
      endsAt: after(50),
      capacity: 1,
    });
    const merchant = await demo("shopOwner");
    await signUp(db(), merchant, activity.id, await businessId("S0001"), T0);
    await expect(signUp(db(), merchant, activity.id, await businessId("S0001"), T0)).rejects.toMatchObject({
      code: "alliance.errors.alreadySignedUp",
    });
    await expect(
      signUp(db(), await demo("stallOwner"), activity.id, await businessId("T0001"), T0),
    ).rejects.toMatchObject({
      code: "alliance.errors.activityFull",
    });
    await expect(
      signUp(db(), await demo("resident"), activity.id, await businessId("S0001"), T0),
    ).rejects.toMatchObject({ status: 403 });
  });
});

describe("elections", () => {
  const window = {
    term: "第二届",
    nominationOpensAt: T0,
    nominationClosesAt: after(24),
    votingOpensAt: after(24),
    votingClosesAt: after(48),
  };

  it("only staff administrators create elections, with windows in order", async () => {
    await expect(createElection(db(), await demo("president"), window)).rejects.toMatchObject({ status: 403 });
    await expect(
      createElection(db(), await demo("admin"), { ...window, votingClosesAt: after(10) }),
    ).rejects.toMatchObject({ code: "alliance.errors.windowsOutOfOrder" });
  });

  it("nominates, votes secretly once per business, counts, and hands over the officer roles", async () => {
    const election = await createElection(db(), await demo("admin"), window);
    const merchant = await demo("shopOwner");
    const stall = await demo("stallOwner");
    const vp1 = await demo("vicePresident1");
    const s0001 = await businessId("S0001");
    const t0001 = await businessId("T0001");
    const s0003 = await businessId("S0003");
    /** `who` puts `business` up for `office` in this election at `at`. */
    const stand = (who: User, business: number, office: "president" | "vice_president", statement: string, at: Date) =>
      nominate(db(), who, election.id, { businessId: business, office, statement }, at);
    const president = await stand(merchant, s0001, "president", "服务大家", after(1));
    const vpA = await stand(stall, t0001, "vice_president", "夜市代表", after(1));
    const vpB = await stand(vp1, s0003, "vice_president", "连任", after(2));
    await expect(stand(merchant, s0001, "vice_president", "再来", after(3))).rejects.toMatchObject({
      code: "alliance.errors.alreadyStanding",
    });
    await expect(stand(await demo("resident"), s0001, "president", "x", after(3))).rejects.toMatchObject({
      status: 403,
    });
    await expect(
      stand(await demo("vicePresident2"), await businessId("S0004"), "president", "晚了", after(25)),
    ).rejects.toMatchObject({
      code: "alliance.errors.nominationClosed",
    });
    expect(await rows(allianceCandidates, eq(allianceCandidates.electionId, election.id))).toBe(3);

    const ballot = { president: president.id, vicePresidents: [vpA.id, vpB.id] };
    await expect(
      castBallot(db(), merchant, election.id, { businessId: s0001, ...ballot }, after(2)),
    ).rejects.toMatchObject({ code: "alliance.errors.votingClosed" });
    await expect(
      castBallot(db(), await demo("resident"), election.id, { businessId: s0001, ...ballot }, after(25)),
    ).rejects.toMatchObject({ status: 403 });
    await expect(
      castBallot(db(), merchant, election.id, { businessId: s0001, president: vpA.id, vicePresidents: [] }, after(25)),
    ).rejects.toMatchObject({ code: "alliance.errors.badChoice" });

    const people = await voters();
    const receipts: string[] = [];
    for (const [i, p] of people.slice(0, 4).entries()) {
      const { receipt } = await castBallot(
        db(),
        p.user,
        election.id,
        { businessId: p.businessId, president: president.id, vicePresidents: i < 3 ? [vpA.id] : [vpB.id] },
        after(25 + i),
      );
      receipts.push(receipt);
    }
    await expect(
      castBallot(db(), people[0].user, election.id, { businessId: people[0].businessId, ...ballot }, after(30)),
    ).rejects.toMatchObject({ code: "alliance.errors.alreadyVoted" });
    // Concurrent second ballots of one business: exactly one counts.
    const late = people[4];
    const attempts = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        castBallot(db(), late.user, election.id, { businessId: late.businessId, ...ballot }, after(31)),
      ),
    );
    expect(attempts.filter((a) => a.status === "fulfilled")).toHaveLength(1);
    expect(await rows(allianceBallotBox, eq(allianceBallotBox.electionId, election.id))).toBe(5);
    expect(await rows(allianceBallotParticipation, eq(allianceBallotParticipation.electionId, election.id))).toBe(5);
    expect(await ballotCounted(db(), election.id, receipts[0])).toBe(true);
    expect(await ballotCounted(db(), election.id, "NOT-A-RECEIPT")).toBe(false);
    expect((await getElection(db(), null, election.id, after(40))).election.results).toBeNull();

    const oldPresident = DEMO_USERS.president.id;
    await settleDueElections(db(), after(48));
    const view = await getElection(db(), null, election.id, after(49));
    expect(view.phase).toBe("closed");
    expect(view.election.results!.ballots).toBe(5);
    expect(view.election.results!.winners.map((w) => w.candidateId).sort()).toEqual(
      [president.id, vpA.id, vpB.id].sort(),
    );
    const holders = await db()
      .select()
      .from(userRoles)
      .where(sql`${userRoles.role} in ('president', 'vice_president')`);
    expect(holders.map((h) => `${h.role}:${h.userId}`).sort()).toEqual(
      [
        `president:${DEMO_USERS.shopOwner.id}`,
        `vice_president:${DEMO_USERS.stallOwner.id}`,
        `vice_president:${DEMO_USERS.vicePresident1.id}`,
      ].sort(),
    );
    expect(holders.some((h) => h.userId === oldPresident)).toBe(false);
    expect(
      await rows(auditLog, and(eq(auditLog.action, "role.revoked"), eq(auditLog.subjectId, oldPresident))),
    ).toBeGreaterThan(0);
    expect(
      await rows(
        notifications,
        and(eq(notifications.kind, "alliance.electionResults"), eq(notifications.userId, DEMO_USERS.shopOwner.id)),
      ),
    ).toBe(1);
    // Receipts still check after the ballots were shuffled; counting twice changes nothing.
    expect(await ballotCounted(db(), election.id, receipts[3])).toBe(true);
    await settleDueElections(db(), after(60));
    expect(
      await rows(auditLog, and(eq(auditLog.action, "election.counted"), eq(auditLog.subjectId, String(election.id)))),
    ).toBe(1);
  });

  it("stores ballots so that nothing joins a ballot to a business", async () => {
    const columns = async (table: string) =>
      rowsOf<{ column_name: string }>(
        await db().execute(
          sql`select column_name from information_schema.columns where table_name = ${table} order by column_name`,
        ),
      ).map((r) => r.column_name);
    expect(await columns("alliance_ballots")).toEqual(["choices", "election_id", "id", "receipt_hash"]);
    expect(await columns("alliance_ballot_participation")).toEqual(["business_id", "election_id"]);
    const fks = rowsOf<{ table_name: string; column_name: string }>(
      await db().execute(sql`select kcu.table_name, kcu.column_name from information_schema.table_constraints tc
        join information_schema.key_column_usage kcu on kcu.constraint_name = tc.constraint_name
        where tc.constraint_type = 'FOREIGN KEY' and kcu.table_name = 'alliance_ballots'`),
    );
    expect(fks.map((f) => f.column_name)).toEqual(["election_id"]);
    // Ids are random UUIDs, not a sequence; no column default reveals order either.
    const ballots = await db().select({ id: allianceBallots.id }).from(allianceBallots);
    expect(ballots.length).toBeGreaterThan(0);
    for (const b of ballots)
      expect(b.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const defaults = rowsOf<{ column_default: string | null }>(
      await db().execute(
        sql`select column_default from information_schema.columns where table_name = 'alliance_ballots' and column_default is not null`,
      ),
    );
    expect(defaults).toEqual([]);
    // No audit line names a business next to a ballot.
    const audit = await db()
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(sql`${auditLog.action} like 'election.%'`);
    expect(audit.map((a) => a.action)).not.toContain("election.voted");
  });

  it("after counting, the ballots are one transaction's rows and the sealed box is empty", async () => {
    const election = await createElection(db(), await demo("admin"), { ...window, term: "顺序测试" });
    const people = await voters();
    const candidate = await nominate(
      db(),
      people[0].user,
      election.id,
      { businessId: people[0].businessId, office: "vice_president", statement: "x" },
      after(1),
    );
    for (const [i, p] of people.entries()) {
      await castBallot(
        db(),
        p.user,
        election.id,
        { businessId: p.businessId, vicePresidents: [candidate.id] },
        after(25 + i),
      );
    }
    // While voting is open nothing readable is stored: the box holds sealed ballots of one length.
    expect(await rows(allianceBallots, eq(allianceBallots.electionId, election.id))).toBe(0);
    const box = await db().select().from(allianceBallotBox).where(eq(allianceBallotBox.electionId, election.id));
    expect(box).toHaveLength(people.length);
    expect(new Set(box.map((b) => b.sealed.length)).size).toBe(1);
    expect(new Set(box.map((b) => b.sealed)).size).toBe(people.length); // same choices, different seals
    for (const b of box) expect(b.sealed).not.toContain(String(candidate.id) + "]");
    await settleDueElections(db(), after(48));
    const stored = rowsOf<{ xmin: string }>(
      await db().execute(sql`select xmin::text as xmin from alliance_ballots where election_id = ${election.id}`),
    );
    expect(stored).toHaveLength(people.length);
    expect(new Set(stored.map((r) => r.xmin)).size).toBe(1);
    expect(await rows(allianceBallotBox, eq(allianceBallotBox.electionId, election.id))).toBe(0);
  });
});
