import { and, asc, desc, eq, inArray, isNull, lte, ne, or, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import {
  allianceComments,
  allianceFollowUps,
  allianceProposals,
  allianceVotes,
  businesses,
  users,
  type FollowUpStatus,
  type VoteChoice,
} from "../../../db/schema";
import { isStaff, ownedBusinessIds, type Actor } from "../accounts/actor";
import { assertCan, can } from "../accounts/permissions";
import { recordAudit } from "../audit.server";
import { DomainError, foundOr404 } from "../errors";
import { notify } from "../notifications/notifications.server";
import { assertActsFor, assertInElectorate, fixElectorate, getAllianceSettings } from "./members.server";
import {
  ALLIANCE_RULE,
  outcomeOf,
  quorumFor,
  SIMILARITY_THRESHOLD,
  tallyOf,
  titleSimilarity,
  type Tally,
} from "./rules";
import type { ProposalInput } from "./schemas";
import { columnsOf } from "../../../db/select";

export type Proposal = typeof allianceProposals.$inferSelect;

async function lockProposal(tx: Db, id: number) {
  const proposal = await foundOr404(
    tx.select().from(allianceProposals).where(eq(allianceProposals.id, id)).for("update"),
  );
  return proposal;
}

export async function createProposal(db: Db, actor: Actor, input: ProposalInput, now: Date) {
  assertActsFor(actor, input.businessId);
  return db.transaction(async (tx) => {
    const [proposal] = await tx
      .insert(allianceProposals)
      .values({
        businessId: input.businessId,
        authorId: actor.userId,
        category: input.category,
        title: input.title,
        body: input.body,
        resultVisibility: input.resultVisibility,
        status: input.publish,
        discussionOpensAt: input.publish === "discussion" ? now : null,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await recordAudit(tx, actor, "proposal.created", proposal.id, {
      after: { title: input.title, status: input.publish },
    });
    return proposal;
  });
}

/** The author edits the text while the proposal is a draft or under discussion; nobody else may. */
export async function editProposal(
  db: Db,
  actor: Actor,
  id: number,
  input: Pick<ProposalInput, "title" | "body" | "category">,
  now: Date,
) {
  return db.transaction(async (tx) => {
    const proposal = await lockProposal(tx, id);
    assertCan(actor, { action: "alliance.editPost", authorId: proposal.authorId });
    if (proposal.status !== "draft" && proposal.status !== "discussion")
      throw new DomainError("alliance.errors.notEditable", 409);
    await tx
      .update(allianceProposals)
      .set({ ...input, updatedAt: now })
      .where(eq(allianceProposals.id, id));
    await recordAudit(tx, actor, "proposal.edited", id, {
      before: { title: proposal.title },
      after: { title: input.title },
    });
  });
}

/** A draft goes up for discussion (author only). */
export async function publishProposal(db: Db, actor: Actor, id: number, now: Date) {
  return db.transaction(async (tx) => {
    const proposal = await lockProposal(tx, id);
    assertCan(actor, { action: "alliance.editPost", authorId: proposal.authorId });
    if (proposal.status !== "draft") throw new DomainError("alliance.errors.notEditable", 409);
    await tx
      .update(allianceProposals)
      .set({ status: "discussion", discussionOpensAt: now, updatedAt: now })
      .where(eq(allianceProposals.id, id));
    await recordAudit(tx, actor, "proposal.published", id);
  });
}

/**
 * Opens the voting window now, for `hours`. The rule (member count, quorum, support share) is
 * fixed here and stored on the proposal.
 */
export async function openVoting(db: Db, actor: Actor, id: number, hours: number, now: Date) {
  return db.transaction(async (tx) => {
    const proposal = await lockProposal(tx, id);
    assertCan(actor, { action: "alliance.openVoting", authorId: proposal.authorId });
    if (proposal.status !== "discussion") throw new DomainError("alliance.errors.notInDiscussion", 409);
    if (proposal.hiddenAt) throw new DomainError("alliance.errors.hidden", 409);
    const { minDiscussionHours } = await getAllianceSettings(tx);
    const discussedSince = proposal.discussionOpensAt ?? proposal.createdAt;
    const earliest = new Date(discussedSince.getTime() + minDiscussionHours * 3_600_000);
    if (now < earliest)
      throw new DomainError("alliance.errors.discussionTooShort", 409, undefined, {
        hours: minDiscussionHours,
        at: earliest.toISOString(),
      });
    // The member base is fixed now: the open businesses with an owner at this moment.
    const memberCount = await fixElectorate(tx, "proposal", id);
    const rule = {
      memberCount,
      quorum: quorumFor(memberCount, ALLIANCE_RULE.quorumPercent),
      supportPercent: ALLIANCE_RULE.supportPercent,
    };
    const closesAt = new Date(now.getTime() + hours * 3_600_000);
    await tx
      .update(allianceProposals)
      .set({ status: "voting", votingOpensAt: now, votingClosesAt: closesAt, ...rule, updatedAt: now })
      .where(eq(allianceProposals.id, id));
    await recordAudit(tx, actor, "proposal.votingOpened", id, { after: { ...rule, closesAt: closesAt.toISOString() } });
  });
}

/**
 * One vote per business; a new vote replaces the business's earlier one until the window closes.
 * The (proposal, business) key and the upsert make concurrent votes of one business count once.
 */
export async function castVote(
  db: Db,
  actor: Actor,
  proposalId: number,
  vote: { businessId: number; choice: VoteChoice },
  now: Date,
) {
  assertActsFor(actor, vote.businessId);
  await db.transaction(async (tx) => {
    const proposal = await foundOr404(tx.select().from(allianceProposals).where(eq(allianceProposals.id, proposalId)));
    const open = proposal.status === "voting" && proposal.votingOpensAt! <= now && now < proposal.votingClosesAt!;
    if (!open) throw new DomainError("alliance.errors.votingClosed", 409);
    await assertInElectorate(tx, "proposal", proposalId, vote.businessId);
    await tx
      .insert(allianceVotes)
      .values({ proposalId, businessId: vote.businessId, castBy: actor.userId, choice: vote.choice, castAt: now })
      .onConflictDoUpdate({
        target: [allianceVotes.proposalId, allianceVotes.businessId],
        set: { choice: vote.choice, castBy: actor.userId, castAt: now },
      });
  });
}

async function tallyFor(db: Db, proposalId: number): Promise<Tally> {
  const rows = await db
    .select({ choice: allianceVotes.choice })
    .from(allianceVotes)
    .where(eq(allianceVotes.proposalId, proposalId));
  return tallyOf(rows.map((r) => r.choice));
}

/**
 * Decides every proposal whose window has ended, by the rule stored on it. Called lazily before
 * proposals are read, so the outcome follows from time alone; safe to run concurrently.
 */
export async function settleDueProposals(db: Db, now: Date): Promise<number> {
  const due = await db
    .select({ id: allianceProposals.id })
    .from(allianceProposals)
    .where(and(eq(allianceProposals.status, "voting"), lte(allianceProposals.votingClosesAt, now)));
  for (const { id } of due) {
    await db.transaction(async (tx) => {
      const proposal = await lockProposal(tx, id);
      if (proposal.status !== "voting") return; // another request settled it first
      const tally = await tallyFor(tx, id);
      const outcome = outcomeOf(tally, { quorum: proposal.quorum!, supportPercent: proposal.supportPercent! });
      const status = outcome.adopted ? "adopted" : "rejected";
      await tx
        .update(allianceProposals)
        .set({
          status,
          supportCount: tally.support,
          opposeCount: tally.oppose,
          abstainCount: tally.abstain,
          decidedAt: proposal.votingClosesAt,
          updatedAt: now,
        })
        .where(eq(allianceProposals.id, id));
      await recordAudit(tx, null, `proposal.${status}`, id, { after: { ...tally, quorum: proposal.quorum } });
      await notify(tx, proposal.authorId, {
        kind: `alliance.proposal${status === "adopted" ? "Adopted" : "Rejected"}`,
        params: { title: proposal.title },
        link: `/alliance/proposals/${id}`,
      });
    });
  }
  return due.length;
}

/** Officers and staff record what came of an adopted proposal. */
export async function addFollowUp(
  db: Db,
  actor: Actor,
  proposalId: number,
  input: { status: FollowUpStatus; note: string },
  now: Date,
) {
  assertCan(actor, { action: "alliance.followUp" });
  await settleDueProposals(db, now);
  await db.transaction(async (tx) => {
    const proposal = await lockProposal(tx, proposalId);
    if (proposal.status !== "adopted") throw new DomainError("alliance.errors.notAdopted", 409);
    await tx
      .insert(allianceFollowUps)
      .values({ proposalId, status: input.status, note: input.note, authorId: actor.userId, createdAt: now });
    await tx
      .update(allianceProposals)
      .set({ followUpStatus: input.status, updatedAt: now })
      .where(eq(allianceProposals.id, proposalId));
    await recordAudit(tx, actor, "proposal.followUp", proposalId, { after: input });
    await notify(tx, proposal.authorId, {
      kind: "alliance.followUp",
      params: { title: proposal.title },
      link: `/alliance/proposals/${proposalId}`,
    });
  });
}

/**
 * What a reader may see: drafts only by their author (and staff), hidden posts by officers, staff
 * and the author. A proposal whose vote is open is never hidden from the members (docs/decisions/015).
 */
function visibleTo(actor: Actor) {
  if (isStaff(actor)) return undefined; // community staff see everything
  const userId = actor?.userId ?? "";
  const drafts = or(ne(allianceProposals.status, "draft"), eq(allianceProposals.authorId, userId));
  if (can(actor, { action: "alliance.seeHidden" })) return drafts;
  return and(
    drafts,
    or(
      isNull(allianceProposals.hiddenAt),
      eq(allianceProposals.status, "voting"),
      eq(allianceProposals.authorId, userId),
    ),
  );
}

export async function listProposals(db: Db, actor: Actor, now: Date) {
  await settleDueProposals(db, now);
  return db
    .select({
      ...columnsOf(
        allianceProposals,
        "id",
        "title",
        "category",
        "status",
        "votingClosesAt",
        "followUpStatus",
        "createdAt",
      ),
      hidden: sql<boolean>`${allianceProposals.hiddenAt} is not null`,
      businessName: businesses.name,
    })
    .from(allianceProposals)
    .innerJoin(businesses, eq(businesses.id, allianceProposals.businessId))
    .where(visibleTo(actor))
    .orderBy(desc(allianceProposals.createdAt), desc(allianceProposals.id))
    .limit(100);
}

export async function getProposal(db: Db, actor: Actor, id: number, now: Date) {
  await settleDueProposals(db, now);
  const row = await foundOr404(
    db
      .select({ proposal: allianceProposals, businessName: businesses.name, authorName: users.displayName })
      .from(allianceProposals)
      .innerJoin(businesses, eq(businesses.id, allianceProposals.businessId))
      .innerJoin(users, eq(users.id, allianceProposals.authorId))
      .where(and(eq(allianceProposals.id, id), visibleTo(actor))),
  );
  const { proposal } = row;
  const closed = proposal.status === "adopted" || proposal.status === "rejected";
  const showTally = closed || (proposal.status === "voting" && proposal.resultVisibility === "live");
  const tally = closed
    ? { support: proposal.supportCount ?? 0, oppose: proposal.opposeCount ?? 0, abstain: proposal.abstainCount ?? 0 }
    : showTally
      ? await tallyFor(db, id)
      : null;
  const mine = ownedBusinessIds(actor);
  const myVotes =
    mine.length > 0
      ? await db
          .select({ businessId: allianceVotes.businessId, choice: allianceVotes.choice })
          .from(allianceVotes)
          .where(and(eq(allianceVotes.proposalId, id), inArray(allianceVotes.businessId, mine)))
      : [];
  const votingOpen = proposal.status === "voting" && now < proposal.votingClosesAt!;
  // Each member business has one vote, cast by its owner: anyone else is told why there is no button.
  const whyNoVote: "signedOut" | "notOwner" | null =
    !votingOpen || mine.length > 0 ? null : actor ? "notOwner" : "signedOut";
  const seeHidden = can(actor, { action: "alliance.seeHidden" });
  const comments = await db
    .select({
      ...columnsOf(allianceComments, "id", "parentId", "body", "authorId", "hiddenAt", "createdAt"),
      authorName: users.displayName,
    })
    .from(allianceComments)
    .innerJoin(users, eq(users.id, allianceComments.authorId))
    .where(eq(allianceComments.proposalId, id))
    .orderBy(asc(allianceComments.createdAt), asc(allianceComments.id));
  const followUps = await db
    .select({ ...columnsOf(allianceFollowUps, "id", "status", "note", "createdAt"), authorName: users.displayName })
    .from(allianceFollowUps)
    .innerJoin(users, eq(users.id, allianceFollowUps.authorId))
    .where(eq(allianceFollowUps.proposalId, id))
    .orderBy(asc(allianceFollowUps.createdAt), asc(allianceFollowUps.id));
  const { minDiscussionHours } = await getAllianceSettings(db);
  const discussedSince = proposal.discussionOpensAt ?? proposal.createdAt;
  return {
    ...row,
    minDiscussionHours,
    votingMayOpenAt:
      proposal.status === "discussion" ? new Date(discussedSince.getTime() + minDiscussionHours * 3_600_000) : null,
    closed,
    tally,
    outcome:
      tally && proposal.quorum != null
        ? outcomeOf(tally, { quorum: proposal.quorum, supportPercent: proposal.supportPercent! })
        : null,
    votingOpen,
    whyNoVote,
    myVotes,
    comments: comments
      .filter((c) => !c.hiddenAt || seeHidden || c.authorId === actor?.userId)
      .map((c) => ({ ...c, hidden: c.hiddenAt != null })),
    followUps,
  };
}

/** Existing proposals whose titles share enough character bigrams with `title` (Chinese-aware). */
export async function similarProposals(db: Db, title: string, options: { excludeId?: number; limit?: number } = {}) {
  if (title.trim().length < 2) return [];
  const recent = await db
    .select(columnsOf(allianceProposals, "id", "title", "status"))
    .from(allianceProposals)
    .where(and(ne(allianceProposals.status, "draft"), isNull(allianceProposals.hiddenAt)))
    .orderBy(desc(allianceProposals.id))
    .limit(500);
  return recent
    .filter((p) => p.id !== options.excludeId)
    .map((p) => ({ ...p, score: titleSimilarity(title, p.title) }))
    .filter((p) => p.score >= SIMILARITY_THRESHOLD)
    .sort((a, b) => b.score - a.score || b.id - a.id)
    .slice(0, options.limit ?? 5);
}
