import { createHash, randomBytes, randomUUID } from "node:crypto";
import { and, asc, count, desc, eq, inArray, isNull, lte, or } from "drizzle-orm";
import type { Db } from "../../../db/client";
import {
  allianceBallotParticipation,
  allianceBallots,
  allianceCandidates,
  allianceElections,
  businesses,
  userRoles,
  users,
  type ElectedOffice,
  type ElectionResults,
} from "../../../db/schema";
import { ownedBusinessIds, type Actor } from "../accounts/actor";
import { assertCan } from "../accounts/permissions";
import { recordAudit } from "../audit.server";
import { DomainError, notFound } from "../errors";
import { notify } from "../notifications/notifications.server";
import { assertActsFor } from "./members.server";

/** Seats per office. */
export const SEATS: Record<ElectedOffice, number> = { president: 1, vice_president: 2 };

export type ElectionPhase = "upcoming" | "nomination" | "between" | "voting" | "closed";

export function phaseOf(election: typeof allianceElections.$inferSelect, now: Date): ElectionPhase {
  if (now < election.nominationOpensAt) return "upcoming";
  if (now < election.nominationClosesAt) return "nomination";
  if (now < election.votingOpensAt) return "between";
  if (now < election.votingClosesAt) return "voting";
  return "closed";
}

export const hashReceipt = (receipt: string) => createHash("sha256").update(receipt.trim().toUpperCase()).digest("hex");

export async function createElection(
  db: Db,
  actor: Actor,
  input: { term: string; nominationOpensAt: Date; nominationClosesAt: Date; votingOpensAt: Date; votingClosesAt: Date },
) {
  assertCan(actor, { action: "alliance.manageElections" });
  const ordered =
    input.nominationOpensAt < input.nominationClosesAt &&
    input.nominationClosesAt <= input.votingOpensAt &&
    input.votingOpensAt < input.votingClosesAt;
  if (!ordered) throw new DomainError("alliance.errors.windowsOutOfOrder", 400, "votingClosesAt");
  return db.transaction(async (tx) => {
    const [election] = await tx
      .insert(allianceElections)
      .values({ ...input, createdBy: actor.userId })
      .returning();
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "election.created",
      subjectType: "election",
      subjectId: election.id,
      after: { term: input.term },
    });
    return election;
  });
}

async function electionById(db: Db, id: number, lock = false) {
  const query = db.select().from(allianceElections).where(eq(allianceElections.id, id));
  const [election] = lock ? await query.for("update") : await query;
  if (!election) throw notFound();
  return election;
}

/** A member business stands for one office, with a statement, during the nomination window. */
export async function nominate(
  db: Db,
  actor: Actor,
  electionId: number,
  input: { businessId: number; office: ElectedOffice; statement: string },
  now: Date,
) {
  assertActsFor(actor, input.businessId);
  return db.transaction(async (tx) => {
    const election = await electionById(tx, electionId);
    if (phaseOf(election, now) !== "nomination") throw new DomainError("alliance.errors.nominationClosed", 409);
    const inserted = await tx
      .insert(allianceCandidates)
      .values({
        electionId,
        office: input.office,
        businessId: input.businessId,
        userId: actor.userId,
        statement: input.statement,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: allianceCandidates.id });
    if (inserted.length === 0) throw new DomainError("alliance.errors.alreadyCandidate", 409, "businessId");
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "election.nominated",
      subjectType: "election",
      subjectId: electionId,
      after: { businessId: input.businessId, office: input.office },
    });
    return inserted[0];
  });
}

/**
 * Casts a business's one secret ballot. The ballot row holds no voter; the participation row holds
 * no choice; both are written in one transaction. Returns the receipt, shown to the voter once.
 */
export async function castBallot(
  db: Db,
  actor: Actor,
  electionId: number,
  input: { businessId: number; president?: number; vicePresidents: number[] },
  now: Date,
): Promise<{ receipt: string }> {
  assertActsFor(actor, input.businessId);
  const vicePresidents = [...new Set(input.vicePresidents)];
  if (vicePresidents.length > SEATS.vice_president)
    throw new DomainError("alliance.errors.tooManyChoices", 400, "vicePresidents");
  return db.transaction(async (tx) => {
    const election = await electionById(tx, electionId);
    if (phaseOf(election, now) !== "voting") throw new DomainError("alliance.errors.votingClosed", 409);
    const chosen = [...(input.president ? [input.president] : []), ...vicePresidents];
    if (chosen.length === 0) throw new DomainError("alliance.errors.emptyBallot", 400);
    const candidates = await tx
      .select({ id: allianceCandidates.id, office: allianceCandidates.office })
      .from(allianceCandidates)
      .where(and(eq(allianceCandidates.electionId, electionId), inArray(allianceCandidates.id, chosen)));
    const officeOf = new Map(candidates.map((c) => [c.id, c.office]));
    if (input.president && officeOf.get(input.president) !== "president")
      throw new DomainError("alliance.errors.badChoice", 400, "president");
    if (vicePresidents.some((c) => officeOf.get(c) !== "vice_president"))
      throw new DomainError("alliance.errors.badChoice", 400, "vicePresidents");
    const took = await tx
      .insert(allianceBallotParticipation)
      .values({ electionId, businessId: input.businessId })
      .onConflictDoNothing()
      .returning({ businessId: allianceBallotParticipation.businessId });
    if (took.length === 0) throw new DomainError("alliance.errors.alreadyVoted", 409);
    const receipt = randomBytes(9)
      .toString("base64url")
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, "X");
    await tx.insert(allianceBallots).values({
      id: randomUUID(),
      electionId,
      receiptHash: hashReceipt(receipt),
      choices: { president: input.president ?? null, vicePresidents },
    });
    return { receipt };
  });
}

/** Anyone holding a receipt can check that the ballot is in the count. */
export async function ballotCounted(db: Db, electionId: number, receipt: string): Promise<boolean> {
  const [row] = await db
    .select({ n: count() })
    .from(allianceBallots)
    .where(and(eq(allianceBallots.electionId, electionId), eq(allianceBallots.receiptHash, hashReceipt(receipt))));
  return (row?.n ?? 0) > 0;
}

/** Counts the votes per candidate; ties go to the candidate nominated first (a rule published with the election). */
export function countBallots(
  candidates: readonly { id: number; office: ElectedOffice; userId: string; createdAt: Date }[],
  ballots: readonly { president: number | null; vicePresidents: number[] }[],
): Omit<ElectionResults, "ballots"> {
  const votes = new Map(candidates.map((c) => [c.id, 0]));
  for (const ballot of ballots) {
    for (const id of [ballot.president, ...ballot.vicePresidents])
      if (id != null && votes.has(id)) votes.set(id, votes.get(id)! + 1);
  }
  const tallies = candidates.map((c) => ({ candidateId: c.id, office: c.office, votes: votes.get(c.id)! }));
  const winners: ElectionResults["winners"] = [];
  for (const office of ["president", "vice_president"] as const) {
    const ranked = candidates
      .filter((c) => c.office === office && votes.get(c.id)! > 0)
      .sort(
        (a, b) => votes.get(b.id)! - votes.get(a.id)! || a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id,
      );
    for (const c of ranked.slice(0, SEATS[office])) winners.push({ candidateId: c.id, office, userId: c.userId });
  }
  return { tallies, winners };
}

/**
 * Counts every election whose voting window has ended, once: stores the results, shuffles the
 * ballot rows, hands the president and vice-president roles to the winners' owner accounts
 * (revoking the previous holders), audits and notifies. Lazy (on read) and idempotent.
 */
export async function settleDueElections(db: Db, now: Date): Promise<number> {
  const due = await db
    .select({ id: allianceElections.id })
    .from(allianceElections)
    .where(and(isNull(allianceElections.finalizedAt), lte(allianceElections.votingClosesAt, now)));
  for (const { id } of due) {
    await db.transaction(async (tx) => {
      const election = await electionById(tx, id, true);
      if (election.finalizedAt) return;
      const candidates = await tx.select().from(allianceCandidates).where(eq(allianceCandidates.electionId, id));
      const ballots = await tx.select().from(allianceBallots).where(eq(allianceBallots.electionId, id));
      const results: ElectionResults = {
        ballots: ballots.length,
        ...countBallots(
          candidates,
          ballots.map((b) => b.choices),
        ),
      };
      // Rewrite the ballots in random-id order so not even the physical row order follows the voting order.
      if (ballots.length > 0) {
        await tx.delete(allianceBallots).where(eq(allianceBallots.electionId, id));
        const shuffled = ballots.map((b) => ({ ...b, id: randomUUID() })).sort((a, b) => a.id.localeCompare(b.id));
        await tx.insert(allianceBallots).values(shuffled);
      }
      await tx.update(allianceElections).set({ finalizedAt: now, results }).where(eq(allianceElections.id, id));
      await recordAudit(tx, {
        actorId: null,
        action: "election.counted",
        subjectType: "election",
        subjectId: id,
        after: results,
      });
      const winnersByOffice = (office: ElectedOffice) => results.winners.filter((w) => w.office === office);
      for (const office of ["president", "vice_president"] as const) {
        if (winnersByOffice(office).length === 0) continue; // nobody stood or nobody voted: the holders stay
        const previous = await tx
          .delete(userRoles)
          .where(eq(userRoles.role, office))
          .returning({ userId: userRoles.userId });
        for (const p of previous) {
          await recordAudit(tx, {
            actorId: null,
            action: "role.revoked",
            subjectType: "user",
            subjectId: p.userId,
            before: { role: office },
            after: { election: id },
          });
        }
        for (const w of winnersByOffice(office)) {
          await tx.insert(userRoles).values({ userId: w.userId, role: office, grantedBy: null }).onConflictDoNothing();
          await recordAudit(tx, {
            actorId: null,
            action: "role.granted",
            subjectType: "user",
            subjectId: w.userId,
            after: { role: office, election: id },
          });
        }
      }
      const participants = await tx
        .selectDistinct({ userId: users.id })
        .from(allianceCandidates)
        .innerJoin(users, eq(users.id, allianceCandidates.userId))
        .where(eq(allianceCandidates.electionId, id));
      for (const p of participants) {
        await notify(tx, p.userId, {
          kind: "alliance.electionResults",
          params: { term: election.term },
          link: `/alliance/elections/${id}`,
        });
      }
    });
  }
  return due.length;
}

export async function listElections(db: Db, now: Date) {
  await settleDueElections(db, now);
  const elections = await db.select().from(allianceElections).orderBy(desc(allianceElections.votingClosesAt)).limit(20);
  return elections.map((e) => ({
    id: e.id,
    term: e.term,
    phase: phaseOf(e, now),
    votingClosesAt: e.votingClosesAt,
    nominationClosesAt: e.nominationClosesAt,
  }));
}

export async function getElection(db: Db, actor: Actor, id: number, now: Date) {
  await settleDueElections(db, now);
  const election = await electionById(db, id);
  const candidates = await db
    .select({
      id: allianceCandidates.id,
      office: allianceCandidates.office,
      statement: allianceCandidates.statement,
      businessName: businesses.name,
      ownerName: users.displayName,
    })
    .from(allianceCandidates)
    .innerJoin(businesses, eq(businesses.id, allianceCandidates.businessId))
    .innerJoin(users, eq(users.id, allianceCandidates.userId))
    .where(eq(allianceCandidates.electionId, id))
    .orderBy(asc(allianceCandidates.office), asc(allianceCandidates.createdAt), asc(allianceCandidates.id));
  const mine = ownedBusinessIds(actor);
  // Participation is shown only to the business itself ("you have voted"), never as a list.
  const votedBusinessIds =
    mine.length > 0
      ? (
          await db
            .select({ businessId: allianceBallotParticipation.businessId })
            .from(allianceBallotParticipation)
            .where(
              and(
                eq(allianceBallotParticipation.electionId, id),
                or(...mine.map((b) => eq(allianceBallotParticipation.businessId, b))),
              ),
            )
        ).map((r) => r.businessId)
      : [];
  const phase = phaseOf(election, now);
  return {
    election: { ...election, results: phase === "closed" ? election.results : null },
    phase,
    candidates,
    votedBusinessIds,
  };
}
