import { createHash, randomBytes, randomUUID } from "node:crypto";
import { and, asc, count, desc, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import {
  allianceBallotBox,
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
import { assertCan, can } from "../accounts/permissions";
import { recordAudit } from "../audit.server";
import { DomainError, foundOr404, notFound } from "../errors";
import { notify } from "../notifications/notifications.server";
import { openBallot, sealBallot, shuffled } from "./ballot-box.server";
import {
  assertActsFor,
  assertInElectorate,
  fixElectorate,
  getAllianceSettings,
  memberOwnerIds,
} from "./members.server";
import { quorumFor } from "./rules";
import { columnsOf } from "../../../db/select";

/** Seats per office. */
export const SEATS: Record<ElectedOffice, number> = { president: 1, vice_president: 2 };

export type ElectionPhase = "upcoming" | "nomination" | "between" | "voting" | "closed" | "cancelled";

export function phaseOf(election: typeof allianceElections.$inferSelect, now: Date): ElectionPhase {
  if (election.cancelledAt) return "cancelled";
  if (now < election.nominationOpensAt) return "upcoming";
  if (now < election.nominationClosesAt) return "nomination";
  if (now < election.votingOpensAt) return "between";
  if (now < election.votingClosesAt) return "voting";
  return "closed";
}

export const hashReceipt = (receipt: string) => createHash("sha256").update(receipt.trim().toUpperCase()).digest("hex");

export interface ElectionInput {
  term: string;
  nominationOpensAt: Date;
  nominationClosesAt: Date;
  votingOpensAt: Date;
  votingClosesAt: Date;
}

function assertWindowsInOrder(input: ElectionInput) {
  const ordered =
    input.nominationOpensAt < input.nominationClosesAt &&
    input.nominationClosesAt <= input.votingOpensAt &&
    input.votingOpensAt < input.votingClosesAt;
  if (!ordered) throw new DomainError("alliance.errors.windowsOutOfOrder", 400, "votingClosesAt");
}

export async function createElection(db: Db, actor: Actor, input: ElectionInput) {
  assertCan(actor, { action: "alliance.manageElections" });
  assertWindowsInOrder(input);
  return db.transaction(async (tx) => {
    const [election] = await tx
      .insert(allianceElections)
      .values({ ...input, createdBy: actor.userId })
      .returning();
    await recordAudit(tx, actor, "election.created", election.id, { after: { term: input.term } });
    return election;
  });
}

async function electionById(db: Db, id: number, lock = false) {
  const query = db.select().from(allianceElections).where(eq(allianceElections.id, id));
  const [election] = lock ? await query.for("update") : await query;
  if (!election) throw notFound();
  return election;
}

async function tellMembers(tx: Db, kind: string, params: Record<string, string>, link: string, also: string[] = []) {
  for (const userId of new Set([...(await memberOwnerIds(tx)), ...also]))
    await notify(tx, userId, { kind, params, link });
}

/**
 * Administrators change an election's name or windows before its nomination opens, with a reason
 * every member is told.
 */
export async function editElection(
  db: Db,
  actor: Actor,
  id: number,
  input: ElectionInput & { reason: string },
  now: Date,
) {
  assertCan(actor, { action: "alliance.manageElections" });
  const reason = input.reason.trim();
  if (!reason) throw new DomainError("alliance.errors.reasonRequired", 400, "reason");
  assertWindowsInOrder(input);
  await db.transaction(async (tx) => {
    const election = await electionById(tx, id, true);
    if (election.cancelledAt) throw new DomainError("alliance.errors.electionCancelled", 409);
    if (now >= election.nominationOpensAt) throw new DomainError("alliance.errors.electionStarted", 409);
    if (input.nominationOpensAt <= now)
      throw new DomainError("alliance.errors.windowsInPast", 400, "nominationOpensAt");
    const { reason: _reason, ...fields } = input;
    await tx.update(allianceElections).set(fields).where(eq(allianceElections.id, id));
    await recordAudit(tx, actor, "election.edited", id, {
      before: {
        term: election.term,
        nominationOpensAt: election.nominationOpensAt.toISOString(),
        votingClosesAt: election.votingClosesAt.toISOString(),
      },
      after: {
        term: input.term,
        nominationOpensAt: input.nominationOpensAt.toISOString(),
        votingClosesAt: input.votingClosesAt.toISOString(),
        reason,
      },
    });
    await tellMembers(tx, "alliance.electionChanged", { term: input.term, reason }, `/alliance/elections/${id}`);
  });
}

/**
 * Administrators cancel an election before its voting opens, with a reason the members and the
 * candidates are told. Nothing is counted and no role moves.
 */
export async function cancelElection(db: Db, actor: Actor, id: number, reason: string, now: Date) {
  assertCan(actor, { action: "alliance.manageElections" });
  const why = reason.trim();
  if (!why) throw new DomainError("alliance.errors.reasonRequired", 400, "reason");
  await db.transaction(async (tx) => {
    const election = await electionById(tx, id, true);
    if (election.cancelledAt) throw new DomainError("alliance.errors.electionCancelled", 409);
    if (now >= election.votingOpensAt) throw new DomainError("alliance.errors.votingStarted", 409);
    await tx.update(allianceElections).set({ cancelledAt: now, cancelReason: why }).where(eq(allianceElections.id, id));
    await recordAudit(tx, actor, "election.cancelled", id, { after: { reason: why } });
    const candidates = await tx
      .select({ userId: allianceCandidates.userId })
      .from(allianceCandidates)
      .where(eq(allianceCandidates.electionId, id));
    await tellMembers(
      tx,
      "alliance.electionCancelled",
      { term: election.term, reason: why },
      `/alliance/elections/${id}`,
      candidates.map((c) => c.userId),
    );
  });
}

/** A candidate withdraws their own candidacy while nominations are open. */
export async function withdrawCandidacy(db: Db, actor: Actor, electionId: number, candidateId: number, now: Date) {
  if (!actor) throw new DomainError("errors.forbidden", 403);
  await db.transaction(async (tx) => {
    const election = await electionById(tx, electionId);
    const candidate = await foundOr404(
      tx
        .select()
        .from(allianceCandidates)
        .where(and(eq(allianceCandidates.id, candidateId), eq(allianceCandidates.electionId, electionId)))
        .for("update"),
    );
    if (candidate.userId !== actor.userId) throw new DomainError("errors.forbidden", 403);
    if (election.cancelledAt || phaseOf(election, now) !== "nomination")
      throw new DomainError("alliance.errors.nominationClosed", 409);
    await tx.delete(allianceCandidates).where(eq(allianceCandidates.id, candidateId));
    await recordAudit(tx, actor, "election.withdrawn", electionId, {
      before: { businessId: candidate.businessId, office: candidate.office },
    });
  });
}

/**
 * Fixes the electorate and the turnout needed when an election's voting opens (the member
 * businesses then). Idempotent; the schedule, the first ballot or a page read runs it.
 */
export async function openDueElections(db: Db, now: Date): Promise<number> {
  const due = await dueElectionIds(db, allianceElections.memberCount, allianceElections.votingOpensAt, now);
  for (const id of due) await db.transaction((tx) => fixElectionElectorate(tx, id));
  return due.length;
}

/** The elections, not cancelled, whose `at` has come while their `unset` column (the step taken then) is still empty. */
async function dueElectionIds(
  db: Db,
  unset: typeof allianceElections.memberCount | typeof allianceElections.finalizedAt,
  at: typeof allianceElections.votingOpensAt | typeof allianceElections.votingClosesAt,
  now: Date,
) {
  const due = await db
    .select({ id: allianceElections.id })
    .from(allianceElections)
    .where(and(isNull(unset), isNull(allianceElections.cancelledAt), lte(at, now)));
  return due.map((e) => e.id);
}

async function fixElectionElectorate(tx: Db, id: number) {
  const election = await electionById(tx, id, true);
  if (election.memberCount != null) return election;
  const memberCount = await fixElectorate(tx, "election", id);
  const { electionQuorumPercent } = await getAllianceSettings(tx);
  const minTurnout = quorumFor(memberCount, electionQuorumPercent);
  await tx.update(allianceElections).set({ memberCount, minTurnout }).where(eq(allianceElections.id, id));
  await recordAudit(tx, null, "election.votingOpened", id, {
    after: { memberCount, minTurnout, quorumPercent: electionQuorumPercent },
  });
  return { ...election, memberCount, minTurnout };
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
    const election = await electionById(tx, electionId, true);
    if (election.cancelledAt || phaseOf(election, now) !== "nomination")
      throw new DomainError("alliance.errors.nominationClosed", 409);
    // One person, one candidacy: an owner of two businesses does not stand twice (docs/decisions/015).
    const [standing] = await tx
      .select({ office: allianceCandidates.office })
      .from(allianceCandidates)
      .where(and(eq(allianceCandidates.electionId, electionId), eq(allianceCandidates.userId, actor.userId)));
    if (standing) throw new DomainError("alliance.errors.alreadyStanding", 409, "office");
    const [business] = await tx
      .select({ status: businesses.status })
      .from(businesses)
      .where(eq(businesses.id, input.businessId));
    if (business?.status !== "open") throw new DomainError("alliance.errors.businessClosed", 403, "businessId");
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
    await recordAudit(tx, actor, "election.nominated", electionId, {
      after: { businessId: input.businessId, office: input.office },
    });
    return inserted[0];
  });
}

/**
 * Casts a business's one secret ballot. One transaction writes the participation row (who voted,
 * no choice) and the ballot sealed under a key the database never holds (no voter): all or nothing,
 * and a database reader who ties the two rows together learns only that the business voted. The
 * readable ballot is written at the count, by another transaction, in random order
 * (docs/decisions/014). `blank` is a formal abstention: it counts toward the turnout, for nobody.
 * Returns the receipt, shown to the voter once.
 */
export async function castBallot(
  db: Db,
  actor: Actor,
  electionId: number,
  input: { businessId: number; president?: number; vicePresidents: number[]; blank?: boolean },
  now: Date,
): Promise<{ receipt: string }> {
  assertActsFor(actor, input.businessId);
  const vicePresidents = input.blank ? [] : [...new Set(input.vicePresidents)];
  const president = input.blank ? undefined : input.president;
  if (vicePresidents.length > SEATS.vice_president)
    throw new DomainError("alliance.errors.tooManyChoices", 400, "vicePresidents");
  return db.transaction(async (tx) => {
    let election = await electionById(tx, electionId);
    if (election.cancelledAt || phaseOf(election, now) !== "voting")
      throw new DomainError("alliance.errors.votingClosed", 409);
    if (election.memberCount == null) election = await fixElectionElectorate(tx, electionId);
    await assertInElectorate(tx, "election", electionId, input.businessId);
    const chosen = [...(president ? [president] : []), ...vicePresidents];
    if (chosen.length === 0 && !input.blank) throw new DomainError("alliance.errors.emptyBallot", 400);
    const candidates =
      chosen.length === 0
        ? []
        : await tx
            .select({ id: allianceCandidates.id, office: allianceCandidates.office })
            .from(allianceCandidates)
            .where(and(eq(allianceCandidates.electionId, electionId), inArray(allianceCandidates.id, chosen)));
    const officeOf = new Map(candidates.map((c) => [c.id, c.office]));
    if (president && officeOf.get(president) !== "president")
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
    await tx.insert(allianceBallotBox).values({
      id: randomUUID(),
      electionId,
      sealed: sealBallot(electionId, {
        receiptHash: hashReceipt(receipt),
        president: president ?? null,
        vicePresidents,
      }),
    });
    return { receipt };
  });
}

/**
 * Anyone holding a receipt can check that the ballot is in the count: after the count among the
 * counted ballots, before it in the sealed box (opened here on the server, never shown).
 */
export async function ballotCounted(db: Db, electionId: number, receipt: string): Promise<boolean> {
  const hash = hashReceipt(receipt);
  const [row] = await db
    .select({ n: count() })
    .from(allianceBallots)
    .where(and(eq(allianceBallots.electionId, electionId), eq(allianceBallots.receiptHash, hash)));
  if ((row?.n ?? 0) > 0) return true;
  const box = await db
    .select({ sealed: allianceBallotBox.sealed })
    .from(allianceBallotBox)
    .where(eq(allianceBallotBox.electionId, electionId));
  return box.some((b) => openBallot(electionId, b.sealed).receiptHash === hash);
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
  await openDueElections(db, now);
  const due = await dueElectionIds(db, allianceElections.finalizedAt, allianceElections.votingClosesAt, now);
  let rewritten = false;
  for (const id of due) {
    await db.transaction(async (tx) => {
      const election = await electionById(tx, id, true);
      if (election.finalizedAt) return;
      const candidates = await tx.select().from(allianceCandidates).where(eq(allianceCandidates.electionId, id));
      // Open the box; ballots counted readable before the box existed are taken along and rewritten too.
      const sealed = await tx.select().from(allianceBallotBox).where(eq(allianceBallotBox.electionId, id));
      const legacy = await tx.select().from(allianceBallots).where(eq(allianceBallots.electionId, id));
      const ballots = [
        ...sealed.map((b) => {
          const content = openBallot(id, b.sealed);
          return {
            receiptHash: content.receiptHash,
            choices: { president: content.president, vicePresidents: content.vicePresidents },
          };
        }),
        ...legacy.map((b) => ({ receiptHash: b.receiptHash, choices: b.choices })),
      ];
      const blank = ballots.filter((b) => b.choices.president == null && b.choices.vicePresidents.length === 0).length;
      const minTurnout = election.minTurnout ?? 1;
      const turnoutReached = ballots.length >= minTurnout;
      const counted = countBallots(
        candidates,
        ballots.map((b) => b.choices),
      );
      const results: ElectionResults = {
        ballots: ballots.length,
        blank,
        minTurnout,
        turnoutReached,
        tallies: counted.tallies,
        // Too few ballots elect nobody: the holders stay until an election that reaches the turnout.
        winners: turnoutReached ? counted.winners : [],
      };
      // Written once, all in this transaction, in a random order, with fresh random ids and no time:
      // neither xmin, nor ctid, nor id follows the order of voting.
      if (sealed.length > 0) await tx.delete(allianceBallotBox).where(eq(allianceBallotBox.electionId, id));
      if (legacy.length > 0) await tx.delete(allianceBallots).where(eq(allianceBallots.electionId, id));
      if (ballots.length > 0)
        await tx
          .insert(allianceBallots)
          .values(shuffled(ballots).map((b) => ({ id: randomUUID(), electionId: id, ...b })));
      rewritten ||= ballots.length > 0;
      await tx.update(allianceElections).set({ finalizedAt: now, results }).where(eq(allianceElections.id, id));
      await recordAudit(tx, null, "election.counted", id, { after: results });
      const winnersByOffice = (office: ElectedOffice) => results.winners.filter((w) => w.office === office);
      for (const office of ["president", "vice_president"] as const) {
        if (winnersByOffice(office).length === 0) continue; // nobody stood or nobody voted: the holders stay
        const previous = await tx
          .delete(userRoles)
          .where(eq(userRoles.role, office))
          .returning({ userId: userRoles.userId });
        for (const p of previous) {
          await recordAudit(tx, null, "role.revoked", p.userId, { before: { role: office }, after: { election: id } });
        }
        for (const w of winnersByOffice(office)) {
          // One person holds one office: any other office of the winner's ends here.
          const others = await tx
            .delete(userRoles)
            .where(
              and(
                eq(userRoles.userId, w.userId),
                inArray(userRoles.role, ["president", "vice_president", "moderator"]),
                sql`${userRoles.role} <> ${office}`,
              ),
            )
            .returning({ role: userRoles.role });
          for (const o of others)
            await recordAudit(tx, null, "role.revoked", w.userId, {
              before: { role: o.role },
              after: { election: id, reason: "oneOffice" },
            });
          await tx.insert(userRoles).values({ userId: w.userId, role: office, grantedBy: null }).onConflictDoNothing();
          await recordAudit(tx, null, "role.granted", w.userId, { after: { role: office, election: id } });
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
  // Rewrite the tables so the box's and the old ballots' dead row versions leave the disk.
  // VACUUM runs outside any transaction; it holds an exclusive lock for the moment it takes.
  if (rewritten) {
    try {
      await db.execute(sql`vacuum full alliance_ballot_box`);
      await db.execute(sql`vacuum full alliance_ballots`);
    } catch {
      // Called inside a caller's transaction, VACUUM cannot run; the count stands, and the next
      // count's rewrite removes what is left. tests/integration/ballot-secrecy.test.ts checks the disk.
    }
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
      ...columnsOf(allianceCandidates, "id", "office", "statement", "userId"),
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
    // Whose candidacy is whose stays on the server: the page learns only which one is the reader's.
    candidates: candidates.map(({ userId, ...c }) => ({ ...c, mine: userId === actor?.userId })),
    votedBusinessIds,
    settings: await getAllianceSettings(db),
    mayManage: can(actor, { action: "alliance.manageElections" }),
  };
}
