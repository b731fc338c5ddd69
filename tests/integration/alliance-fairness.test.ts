/**
 * Votes that cannot be silenced or captured (issue 15, items 7, 8 and 10) and the election's own
 * dead ends (issue 21, item 4): each rule with the roles it refuses, and that a refusal writes nothing.
 */
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  allianceBallotParticipation,
  allianceCandidates,
  allianceElections,
  allianceProposals,
  auditLog,
  businessMembers,
  businesses,
  notifications,
  userRoles,
  users,
} from "../../db/schema";
import { DEMO_USERS } from "../../db/seed/demo";
import type { User } from "~/domain/accounts/actor";
import { appointModerator, listOfficers, moderatePost, reportPost, reviewQueue } from "~/domain/alliance/board.server";
import {
  ballotCounted,
  cancelElection,
  castBallot,
  createElection,
  editElection,
  getElection,
  nominate,
  settleDueElections,
  withdrawCandidacy,
} from "~/domain/alliance/elections.server";
import { getAllianceSettings, memberBusinessCount, updateAllianceSettings } from "~/domain/alliance/members.server";
import { castVote, getProposal, listProposals, openVoting } from "~/domain/alliance/proposals.server";
import { closeBusiness } from "~/domain/roster/roster.server";
import { proposalUpForDiscussion, shopOwnersProposal } from "../helpers/alliance";
import { type DemoUserKey, testClock, useTestDatabase } from "../helpers/kit";

const kit = useTestDatabase();
const { db, rows, actor, businessId, demo } = kit;

const { T0, plusHours: after } = testClock("2026-12-01T02:00:00Z");

let ownerCounter = 0;
/** A new owner of one or more unclaimed shops. */
async function newOwner(...codes: string[]): Promise<User & { businessIds: number[] }> {
  const n = ++ownerCounter;
  const id = `fair-owner-${n}`;
  await db()
    .insert(users)
    .values({ id, phone: `1370002${String(n).padStart(4, "0")}`, displayName: `公平店主${n}`, passwordHash: "x" });
  const ids: number[] = [];
  for (const code of codes) {
    const bid = await businessId(code);
    await db().insert(businessMembers).values({ businessId: bid, userId: id, role: "owner" });
    ids.push(bid);
  }
  return { ...(await actor(id)), businessIds: ids };
}

async function proposalInVoting(title: string, discussedAt = after(-48)) {
  const proposal = await proposalUpForDiscussion(kit, title, discussedAt);
  await openVoting(db(), await demo("shopOwner"), proposal.id, 24, T0);
  return proposal;
}

/** The demo account `who` stands in election `electionId` for `office` on behalf of business `code`. */
const standsFor = async (
  electionId: number,
  who: DemoUserKey,
  code: string,
  office: "president" | "vice_president",
  statement: string,
  at: Date,
) => nominate(db(), await demo(who), electionId, { businessId: await businessId(code), office, statement }, at);

/** An election the administrator calls at T0: a day of nominations, then a day of voting. */
const electionFromT0 = async (term: string) =>
  createElection(db(), await demo("admin"), {
    term,
    nominationOpensAt: T0,
    nominationClosesAt: after(24),
    votingOpensAt: after(24),
    votingClosesAt: after(48),
  });

const notes = (userId: string, kind: string) =>
  rows(notifications, and(eq(notifications.userId, userId), eq(notifications.kind, kind)));

describe("reports never silence a vote (item 7)", () => {
  it("three reports during voting leave the proposal visible; moderators and officers are told at once", async () => {
    const proposal = await proposalInVoting("夜市延长营业");
    const before = await notes(DEMO_USERS.moderator.id, "alliance.proposalReported");
    for (const who of ["stallOwner", "vicePresident2", "president"] as const)
      expect(
        await reportPost(db(), await demo(who), { kind: "proposal", subjectId: proposal.id, reason: "spam" }, T0),
      ).toEqual({ hidden: false });
    // Still shown to residents, in the list and on its page.
    expect((await getProposal(db(), await demo("resident"), proposal.id, after(1))).proposal.title).toBe(
      "夜市延长营业",
    );
    expect((await listProposals(db(), null, after(1))).some((p) => p.id === proposal.id)).toBe(true);
    const [row] = await db().select().from(allianceProposals).where(eq(allianceProposals.id, proposal.id));
    expect(row.hiddenAt).toBeNull();
    // The moderator (who did not report) was told of each report; so was an officer who did not report.
    expect(await notes(DEMO_USERS.moderator.id, "alliance.proposalReported")).toBe(before + 3);
    expect(await notes(DEMO_USERS.vicePresident1.id, "alliance.proposalReported")).toBeGreaterThan(0);
    // It is in the review queue, marked as under vote.
    expect(
      (await reviewQueue(db(), await demo("moderator"))).find(
        (q) => q.kind === "proposal" && q.subjectId === proposal.id,
      ),
    ).toMatchObject({ reports: 3, hidden: false, votingOpen: true });
    // Nobody hides it by hand before the close either (moderator, president); nothing is written.
    for (const who of ["moderator", "president"] as const)
      await expect(
        moderatePost(
          db(),
          await demo(who),
          { kind: "proposal", subjectId: proposal.id, decision: "hide", reason: "不喜欢" },
          after(2),
        ),
      ).rejects.toMatchObject({ status: 409, code: "alliance.errors.votingOpenNoHide" });
    const [still] = await db().select().from(allianceProposals).where(eq(allianceProposals.id, proposal.id));
    expect(still.hiddenAt).toBeNull();
    // The vote goes on and counts.
    await castVote(
      db(),
      await demo("shopOwner"),
      proposal.id,
      { businessId: await businessId("S0001"), choice: "support" },
      after(3),
    );
  });
});

describe("one person, one office (item 8)", () => {
  it("an owner of two businesses stands once; the second candidacy is refused and nothing is written", async () => {
    const election = await electionFromT0("一人一职");
    const owner = await newOwner("S0201", "S0202");
    /** The owner stands for `office` on behalf of its business number `businessIndex`. */
    const stand = (businessIndex: number, office: "president" | "vice_president", statement: string, at: Date) =>
      nominate(db(), owner, election.id, { businessId: owner.businessIds[businessIndex], office, statement }, at);
    await stand(0, "president", "会长", after(1));
    for (const [businessIndex, office] of [
      [1, "vice_president"],
      [1, "president"],
      [0, "vice_president"],
    ] as const)
      await expect(stand(businessIndex, office, "副会长", after(2))).rejects.toMatchObject({
        status: 409,
        code: expect.stringMatching(/alreadyStanding|alreadyCandidate/),
      });
    expect(await rows(allianceCandidates, eq(allianceCandidates.userId, owner.userId))).toBe(1);
  });

  it("a winner holds only the office won: a moderator elected vice-president stops being moderator; the board shows each person once", async () => {
    const election = await electionFromT0("职务交接");
    const vp = await standsFor(election.id, "moderator", "S0005", "vice_president", "连任", after(1));
    const voters = await db()
      .select({ userId: businessMembers.userId, businessId: businessMembers.businessId })
      .from(businessMembers)
      .where(eq(businessMembers.role, "owner"));
    for (const v of voters)
      await castBallot(
        db(),
        await actor(v.userId),
        election.id,
        { businessId: v.businessId, vicePresidents: [vp.id] },
        after(25),
      );
    await settleDueElections(db(), after(48));
    const roles = await db().select().from(userRoles).where(eq(userRoles.userId, DEMO_USERS.moderator.id));
    expect(roles.map((r) => r.role)).toEqual(["vice_president"]);
    expect(
      await rows(auditLog, and(eq(auditLog.action, "role.revoked"), eq(auditLog.subjectId, DEMO_USERS.moderator.id))),
    ).toBeGreaterThan(0);
    const officers = await listOfficers(db());
    expect(new Set(officers.map((o) => o.userId)).size).toBe(officers.length);
    // An officeholder is not appointed moderator on top (the new vice-president and an administrator try).
    for (const who of ["moderator", "admin"] as const)
      await expect(appointModerator(db(), await demo(who), DEMO_USERS.president.phone)).rejects.toMatchObject({
        code: "alliance.errors.holdsOffice",
      });
    expect(
      (await db().select().from(userRoles).where(eq(userRoles.userId, DEMO_USERS.president.id))).map((r) => r.role),
    ).toEqual(["president"]);
  });
});

describe("the member base (item 10)", () => {
  it("is fixed when voting opens: a business that joins later votes next time, one that closes loses its vote", async () => {
    const early = await newOwner("S0211");
    const members = await memberBusinessCount(db());
    const proposal = await proposalInVoting("会员基数");
    const [stored] = await db().select().from(allianceProposals).where(eq(allianceProposals.id, proposal.id));
    expect(stored.memberCount).toBe(members);
    const late = await newOwner("S0212");
    await expect(
      castVote(db(), late, proposal.id, { businessId: late.businessIds[0], choice: "support" }, after(1)),
    ).rejects.toMatchObject({ status: 403, code: "alliance.errors.notInElectorate" });
    await closeBusiness(db(), await demo("admin"), early.businessIds[0], after(1));
    await expect(
      castVote(db(), early, proposal.id, { businessId: early.businessIds[0], choice: "support" }, after(2)),
    ).rejects.toMatchObject({ status: 403, code: "alliance.errors.businessClosed" });
    // A closed business is no longer a member, for the next window's quorum.
    expect(await memberBusinessCount(db())).toBe(members); // one closed, one joined
  });

  it("the same holds for elections; the turnout needed is fixed when voting opens and blank ballots count toward it", async () => {
    const election = await electionFromT0("投票率");
    const candidate = await standsFor(election.id, "stallOwner", "T0001", "president", "参选", after(1));
    // Empty ballots are refused unless cast blank on purpose.
    await expect(
      castBallot(
        db(),
        await demo("shopOwner"),
        election.id,
        { businessId: await businessId("S0001"), vicePresidents: [] },
        after(25),
      ),
    ).rejects.toMatchObject({ code: "alliance.errors.emptyBallot" });
    const view = await getElection(db(), null, election.id, after(25));
    const { memberCount, minTurnout } = view.election;
    expect(minTurnout).toBe(Math.ceil(memberCount! / 2));
    const late = await newOwner("S0213");
    await expect(
      castBallot(
        db(),
        late,
        election.id,
        { businessId: late.businessIds[0], blank: true, vicePresidents: [] },
        after(26),
      ),
    ).rejects.toMatchObject({ code: "alliance.errors.notInElectorate" });
    expect(await rows(allianceBallotParticipation, eq(allianceBallotParticipation.electionId, election.id))).toBe(0);
    // One vote for the candidate, then blank ballots up to exactly the turnout.
    const owners = await db()
      .select({ userId: businessMembers.userId, businessId: businessMembers.businessId })
      .from(businessMembers)
      .innerJoin(businesses, eq(businesses.id, businessMembers.businessId))
      .where(and(eq(businessMembers.role, "owner"), eq(businesses.status, "open")));
    const eligible = owners.filter((o) => o.userId !== late.userId).slice(0, minTurnout!);
    const receipts: string[] = [];
    for (const [i, o] of eligible.entries()) {
      const { receipt } = await castBallot(
        db(),
        await actor(o.userId),
        election.id,
        i === 0
          ? { businessId: o.businessId, president: candidate.id, vicePresidents: [] }
          : { businessId: o.businessId, blank: true, vicePresidents: [] },
        after(27),
      );
      receipts.push(receipt);
    }
    await settleDueElections(db(), after(48));
    const [done] = await db().select().from(allianceElections).where(eq(allianceElections.id, election.id));
    expect(done.results).toMatchObject({
      ballots: minTurnout,
      blank: minTurnout! - 1,
      minTurnout,
      turnoutReached: true,
    });
    expect(done.results!.winners.map((w) => w.candidateId)).toEqual([candidate.id]);
    expect(await ballotCounted(db(), election.id, receipts[1])).toBe(true);
  });

  it("an election short of the turnout elects nobody and the officers stay", async () => {
    const election = await electionFromT0("投票不足");
    const candidate = await standsFor(election.id, "shopOwner", "S0001", "president", "参选", after(1));
    await castBallot(
      db(),
      await demo("shopOwner"),
      election.id,
      { businessId: await businessId("S0001"), president: candidate.id, vicePresidents: [] },
      after(25),
    );
    const presidentsBefore = await db().select().from(userRoles).where(eq(userRoles.role, "president"));
    await settleDueElections(db(), after(48));
    const [done] = await db().select().from(allianceElections).where(eq(allianceElections.id, election.id));
    expect(done.results).toMatchObject({ ballots: 1, turnoutReached: false, winners: [] });
    expect(await db().select().from(userRoles).where(eq(userRoles.role, "president"))).toEqual(presidentsBefore);
  });

  it("administrators alone set the discussion period and the turnout; voting cannot open before the discussion period", async () => {
    const { merchant, proposal } = await shopOwnersProposal(kit, { title: "讨论时间" }, T0);
    await expect(openVoting(db(), merchant, proposal.id, 24, after(23))).rejects.toMatchObject({
      status: 409,
      code: "alliance.errors.discussionTooShort",
    });
    expect((await db().select().from(allianceProposals).where(eq(allianceProposals.id, proposal.id)))[0].status).toBe(
      "discussion",
    );
    for (const who of ["president", "moderator", "shopOwner", "resident"] as const)
      await expect(
        updateAllianceSettings(db(), await demo(who), { minDiscussionHours: 0, electionQuorumPercent: 10 }, T0),
      ).rejects.toMatchObject({ status: 403 });
    await expect(
      updateAllianceSettings(db(), await demo("admin"), { minDiscussionHours: -1, electionQuorumPercent: 10 }, T0),
    ).rejects.toMatchObject({ status: 400 });
    expect(await getAllianceSettings(db())).toEqual({ minDiscussionHours: 24, electionQuorumPercent: 50 });
    await updateAllianceSettings(db(), await demo("admin"), { minDiscussionHours: 2, electionQuorumPercent: 30 }, T0);
    expect((await getProposal(db(), null, proposal.id, after(1))).minDiscussionHours).toBe(2);
    await openVoting(db(), merchant, proposal.id, 24, after(2));
    await updateAllianceSettings(db(), await demo("admin"), { minDiscussionHours: 24, electionQuorumPercent: 50 }, T0);
  });
});

describe("elections officers can correct (issue 21, item 4)", () => {
  const window = {
    term: "可调整",
    nominationOpensAt: after(10),
    nominationClosesAt: after(24),
    votingOpensAt: after(24),
    votingClosesAt: after(48),
  };

  it("a candidate withdraws their own candidacy while nominations are open; nobody else can", async () => {
    const election = await createElection(db(), await demo("admin"), window);
    const c = await standsFor(election.id, "vicePresident2", "S0004", "president", "参选", after(11));
    for (const who of ["admin", "president", "shopOwner"] as const)
      await expect(withdrawCandidacy(db(), await demo(who), election.id, c.id, after(12))).rejects.toMatchObject({
        status: 403,
      });
    await expect(withdrawCandidacy(db(), null, election.id, c.id, after(12))).rejects.toMatchObject({ status: 403 });
    await expect(
      withdrawCandidacy(db(), await demo("vicePresident2"), election.id, c.id, after(30)),
    ).rejects.toMatchObject({
      status: 409,
    });
    expect(await rows(allianceCandidates, eq(allianceCandidates.id, c.id))).toBe(1);
    await withdrawCandidacy(db(), await demo("vicePresident2"), election.id, c.id, after(12));
    expect(await rows(allianceCandidates, eq(allianceCandidates.id, c.id))).toBe(0);
    // Free to stand again, for another office.
    await standsFor(election.id, "vicePresident2", "S0004", "vice_president", "改选副会长", after(13));
  });

  it("administrators edit an election before nominations open and cancel it before voting, with a reason members are told", async () => {
    const election = await createElection(db(), await demo("admin"), window);
    const edited = { ...window, term: "可调整（改期）", votingClosesAt: after(72), reason: "避开节假日" };
    for (const who of ["president", "shopOwner"] as const)
      await expect(editElection(db(), await demo(who), election.id, edited, after(1))).rejects.toMatchObject({
        status: 403,
      });
    await expect(
      editElection(db(), await demo("admin"), election.id, { ...edited, reason: " " }, after(1)),
    ).rejects.toMatchObject({ code: "alliance.errors.reasonRequired" });
    const told = await notes(DEMO_USERS.shopOwner.id, "alliance.electionChanged");
    await editElection(db(), await demo("admin"), election.id, edited, after(1));
    const [row] = await db().select().from(allianceElections).where(eq(allianceElections.id, election.id));
    expect(row.term).toBe("可调整（改期）");
    expect(row.votingClosesAt).toEqual(after(72));
    expect(await notes(DEMO_USERS.shopOwner.id, "alliance.electionChanged")).toBe(told + 1);
    await expect(editElection(db(), await demo("admin"), election.id, edited, after(11))).rejects.toMatchObject({
      code: "alliance.errors.electionStarted",
    });

    await standsFor(election.id, "stallOwner", "T0001", "president", "参选", after(11));
    for (const who of ["president", "stallOwner"] as const)
      await expect(cancelElection(db(), await demo(who), election.id, "不办了", after(12))).rejects.toMatchObject({
        status: 403,
      });
    await expect(cancelElection(db(), await demo("admin"), election.id, "", after(12))).rejects.toMatchObject({
      code: "alliance.errors.reasonRequired",
    });
    await cancelElection(db(), await demo("admin"), election.id, "换届时间推迟", after(12));
    expect(await notes(DEMO_USERS.stallOwner.id, "alliance.electionCancelled")).toBe(1);
    expect(await notes(DEMO_USERS.president.id, "alliance.electionCancelled")).toBe(1);
    const view = await getElection(db(), null, election.id, after(30));
    expect(view.phase).toBe("cancelled");
    expect(view.election.cancelReason).toBe("换届时间推迟");
    await expect(
      castBallot(
        db(),
        await demo("shopOwner"),
        election.id,
        { businessId: await businessId("S0001"), blank: true, vicePresidents: [] },
        after(30),
      ),
    ).rejects.toMatchObject({ code: "alliance.errors.votingClosed" });
    await settleDueElections(db(), after(80));
    const [after80] = await db().select().from(allianceElections).where(eq(allianceElections.id, election.id));
    expect(after80.finalizedAt).toBeNull();

    const other = await createElection(db(), await demo("admin"), window);
    await expect(cancelElection(db(), await demo("admin"), other.id, "太晚了", after(24))).rejects.toMatchObject({
      code: "alliance.errors.votingStarted",
    });
  });
});
