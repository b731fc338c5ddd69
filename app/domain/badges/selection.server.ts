/**
 * The yearly plaque selection (评选): staff open a round for a kind and a year, officers, staff
 * and merchants nominate during its nomination window, staff review each nominee's record and
 * award or decline during its review window, and staff revoke (摘牌) a plaque with a reason.
 * Every step is audited; refusals write nothing.
 */
import { and, asc, count, desc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { rowsOf, type Db } from "../../../db/client";
import { awards, businessMembers, businesses, plaqueNominations, plaqueRounds, users } from "../../../db/schema";
import type { NominatorCapacity, PlaqueKind } from "../../../db/schema/enums";
import { isOfficer, isStaff, memberRoleIn, type Actor } from "../accounts/actor";
import { assertCan, can } from "../accounts/permissions";
import { postSystemAnnouncement } from "../alliance/board.server";
import { recordAudit } from "../audit.server";
import { DomainError, foundOr404, requiredText } from "../errors";
import { businessName } from "../directory/business.server";
import { businessRecord } from "../feedback/feedback.server";
import { notify } from "../notifications/notifications.server";
import { districtDayStart, nextDay } from "../../lib/time";
import { newPlaqueCode } from "./plaque-code";
import { nominationOpen, PLAQUE_ISSUER, reviewOpen, roundPhase } from "./rules";
import type { RoundForm } from "./schemas";
import { columnsOf } from "../../../db/select";

export type PlaqueRound = typeof plaqueRounds.$inferSelect;
export type PlaqueNomination = typeof plaqueNominations.$inferSelect;

/** The plaque's name in both languages (the board, where awards are announced, is written in Chinese). */
export const plaqueNames: Record<PlaqueKind, { zh: string; en: string }> = {
  recommended: { zh: "党支部推荐放心店", en: "Party branch recommended trusted shop" },
  model_merchant: { zh: "党员示范商户", en: "Party-member model merchant" },
};

const isUniqueViolation = (error: unknown) => {
  const e = error as { code?: string; cause?: { code?: string } } | null;
  return e?.code === "23505" || e?.cause?.code === "23505";
};

/** Staff open a round: one per kind and year, its nomination window not already over. */
export async function openRound(db: Db, actor: Actor, input: RoundForm, now: Date) {
  assertCan(actor, { action: "plaque.openRound" });
  const windows = {
    nominationOpensAt: districtDayStart(input.nominationFrom),
    nominationClosesAt: districtDayStart(nextDay(input.nominationTo)),
    reviewOpensAt: districtDayStart(input.reviewFrom),
    reviewClosesAt: districtDayStart(nextDay(input.reviewTo)),
  };
  if (windows.nominationClosesAt <= now) throw new DomainError("plaques.errors.windowPast", 400, "nominationTo");
  try {
    return await db.transaction(async (tx) => {
      const [existing] = await tx
        .select({ id: plaqueRounds.id })
        .from(plaqueRounds)
        .where(and(eq(plaqueRounds.kind, input.kind), eq(plaqueRounds.year, input.year)));
      if (existing) throw new DomainError("plaques.errors.roundExists", 409, "year");
      const [round] = await tx
        .insert(plaqueRounds)
        .values({
          kind: input.kind,
          year: input.year,
          criteria: input.criteria,
          ...windows,
          openedBy: actor.userId,
          createdAt: now,
        })
        .returning();
      await recordAudit(tx, actor, "plaque.roundOpened", round.id, {
        after: { kind: round.kind, year: round.year, ...windows },
      });
      return round;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError("plaques.errors.roundExists", 409, "year");
    throw error;
  }
}

async function ownersOf(db: Db, businessId: number): Promise<string[]> {
  const rows = await db
    .select({ userId: businessMembers.userId })
    .from(businessMembers)
    .where(and(eq(businessMembers.businessId, businessId), eq(businessMembers.role, "owner")));
  return rows.map((r) => r.userId);
}

/** In which capacity the actor nominates: for its own business as the merchant, else as staff or officer. */
function capacityOf(actor: NonNullable<Actor>, businessId: number): NominatorCapacity {
  if (memberRoleIn(actor, businessId) !== undefined) return "merchant";
  if (isStaff(actor)) return "staff";
  if (isOfficer(actor)) return "officer";
  return "merchant";
}

async function lockRound(tx: Db, roundId: number) {
  const round = await foundOr404(tx.select().from(plaqueRounds).where(eq(plaqueRounds.id, roundId)).for("update"));
  return round;
}

/** Whether the business holds (or held and lost) the round's plaque of the round's year. */
async function holdsPlaque(tx: Db, businessId: number, round: Pick<PlaqueRound, "kind" | "year">) {
  const [held] = await tx
    .select({ id: awards.id })
    .from(awards)
    .where(and(eq(awards.businessId, businessId), eq(awards.kind, round.kind), eq(awards.year, round.year)));
  return held !== undefined;
}

/**
 * Puts a business forward in a round, during its nomination window. A business is nominated
 * once per round, and not at all when it already holds (or held and lost) that year's plaque.
 */
export async function nominate(
  db: Db,
  actor: Actor,
  input: { roundId: number; businessCode: string; reason: string },
  now: Date,
) {
  assertCan(actor, { action: "account.use" });
  const reason = requiredText(input.reason, "reason");
  try {
    return await db.transaction(async (tx) => {
      // The round's row lock serializes nominations in one round, so two at once cannot both pass the checks.
      const round = await lockRound(tx, input.roundId);
      const [business] = await tx
        .select(columnsOf(businesses, "id", "name", "status"))
        .from(businesses)
        .where(eq(businesses.code, input.businessCode.trim().toUpperCase()));
      if (!business) throw new DomainError("errors.businessUnknown", 400, "businessCode");
      assertCan(actor, { action: "plaque.nominate", businessId: business.id });
      if (business.status !== "open") throw new DomainError("plaques.errors.businessClosed", 400, "businessCode");
      if (!nominationOpen(round, now)) {
        throw new DomainError(
          now < round.nominationOpensAt ? "plaques.errors.nominationNotOpen" : "plaques.errors.nominationClosed",
          400,
        );
      }
      const [earlier] = await tx
        .select({ id: plaqueNominations.id })
        .from(plaqueNominations)
        .where(and(eq(plaqueNominations.roundId, round.id), eq(plaqueNominations.businessId, business.id)));
      if (earlier) throw new DomainError("plaques.errors.alreadyNominated", 409, "businessCode");
      if (await holdsPlaque(tx, business.id, round))
        throw new DomainError("plaques.errors.alreadyHolds", 409, "businessCode");
      const capacity = capacityOf(actor, business.id);
      const [nomination] = await tx
        .insert(plaqueNominations)
        .values({
          roundId: round.id,
          businessId: business.id,
          nominatedBy: actor.userId,
          capacity,
          reason,
          createdAt: now,
        })
        .returning();
      await recordAudit(tx, actor, "plaque.nominated", nomination.id, {
        after: { roundId: round.id, kind: round.kind, year: round.year, businessId: business.id, capacity },
      });
      for (const owner of await ownersOf(tx, business.id)) {
        if (owner === actor.userId) continue;
        await notify(tx, owner, {
          kind: "plaques.nominated",
          params: { business: business.name, year: round.year, plaque: round.kind },
          link: `/plaques/rounds/${round.id}`,
        });
      }
      return nomination;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError("plaques.errors.alreadyNominated", 409, "businessCode");
    throw error;
  }
}

async function nominationWithRound(db: Db, nominationId: number) {
  const row = await foundOr404(
    db
      .select({
        nomination: plaqueNominations,
        round: plaqueRounds,
        businessName: businesses.name,
        businessCode: businesses.code,
      })
      .from(plaqueNominations)
      .innerJoin(plaqueRounds, eq(plaqueRounds.id, plaqueNominations.roundId))
      .innerJoin(businesses, eq(businesses.id, plaqueNominations.businessId))
      .where(eq(plaqueNominations.id, nominationId)),
  );
  return row;
}

/** Every plaque a business has held, with its round and any revocation. */
function plaquesOf(db: Db, businessId: number) {
  return db
    .select({
      ...columnsOf(awards, "id", "kind", "year", "awardedAt", "revokedAt", "revokeReason"),
      code: awards.plaqueCode,
    })
    .from(awards)
    .where(eq(awards.businessId, businessId))
    .orderBy(desc(awards.year), asc(awards.kind));
}

/**
 * What the reviewer reads before deciding: the nomination, its round, the business's record of
 * the 12 months before `now` (complaints, disputes and their outcomes, feedback counts), every
 * plaque it held (revocations included) and its nominations in other rounds.
 */
export async function reviewSheet(db: Db, actor: Actor, nominationId: number, now: Date) {
  assertCan(actor, { action: "plaque.review" });
  const { nomination, round, businessName, businessCode } = await nominationWithRound(db, nominationId);
  const [nominator] = nomination.nominatedBy
    ? await db.select({ name: users.displayName }).from(users).where(eq(users.id, nomination.nominatedBy))
    : [];
  const [reviewer] = nomination.reviewedBy
    ? await db.select({ name: users.displayName }).from(users).where(eq(users.id, nomination.reviewedBy))
    : [];
  const [record, plaques, otherNominations] = await Promise.all([
    businessRecord(db, nomination.businessId, now),
    plaquesOf(db, nomination.businessId),
    db
      .select({
        ...columnsOf(plaqueNominations, "id", "status", "reviewComment"),
        kind: plaqueRounds.kind,
        year: plaqueRounds.year,
      })
      .from(plaqueNominations)
      .innerJoin(plaqueRounds, eq(plaqueRounds.id, plaqueNominations.roundId))
      .where(
        and(eq(plaqueNominations.businessId, nomination.businessId), sql`${plaqueNominations.id} <> ${nomination.id}`),
      )
      .orderBy(desc(plaqueRounds.year), asc(plaqueRounds.kind)),
  ]);
  return {
    nomination,
    round: { ...round, phase: roundPhase(round, now) },
    business: { id: nomination.businessId, name: businessName, code: businessCode },
    nominatorName: nominator?.name ?? null,
    record,
    plaques,
    otherNominations,
    reviewerName: reviewer?.name ?? null,
    stage: nomination.status === "recommended" ? ("confirm" as const) : ("review" as const),
    mayDecide:
      (nomination.status === "open" ||
        (nomination.status === "recommended" && nomination.reviewedBy !== actor.userId)) &&
      reviewOpen(round, now) &&
      !conflicted(actor, nomination),
    conflicted: conflicted(actor, nomination),
    /** The reviewer of a recommended award may not confirm it: a second staff member must. */
    ownRecommendation: nomination.status === "recommended" && nomination.reviewedBy === actor.userId,
  };
}

/** Nobody decides on a nomination they made, or on a business they belong to. */
const conflicted = (actor: NonNullable<Actor>, n: PlaqueNomination) =>
  n.nominatedBy === actor.userId || memberRoleIn(actor, n.businessId) !== undefined;

/**
 * A staff decision, with a comment, during the round's review window. An award takes two
 * decisions by two different staff members, neither conflicted: the reviewer recommends it
 * ("award" on an open nomination), and a confirmer confirms it ("award" on a recommended one).
 * Only then is the plaque made (with a new unguessable code; the reviewer's comment becomes its
 * citation), which the directory, the shop page and the map show at once, and an announcement
 * posted on the alliance board. Either of them may decline instead; a decline is final for the
 * round (docs/decisions/012-two-staff-plaque-awards.md).
 */
export async function decideNomination(
  db: Db,
  actor: Actor,
  nominationId: number,
  input: { decision: "award" | "decline"; comment: string },
  now: Date,
) {
  assertCan(actor, { action: "plaque.review" });
  const comment = requiredText(input.comment, "comment");
  try {
    return await db.transaction(async (tx) => {
      const nomination = await foundOr404(
        tx.select().from(plaqueNominations).where(eq(plaqueNominations.id, nominationId)).for("update"),
      );
      const [round] = await tx.select().from(plaqueRounds).where(eq(plaqueRounds.id, nomination.roundId));
      const name = (await businessName(tx, nomination.businessId)) ?? "";
      if (conflicted(actor, nomination)) throw new DomainError("plaques.errors.conflicted", 403);
      if (nomination.status !== "open" && nomination.status !== "recommended")
        throw new DomainError("plaques.errors.alreadyDecided", 409);
      const confirming = nomination.status === "recommended";
      if (confirming && nomination.reviewedBy === actor.userId)
        throw new DomainError("plaques.errors.secondStaffNeeded", 403);
      if (!reviewOpen(round, now)) {
        throw new DomainError(
          now < round.reviewOpensAt ? "plaques.errors.reviewNotOpen" : "plaques.errors.reviewClosed",
          400,
        );
      }
      const names = plaqueNames[round.kind];
      const params = { business: name, year: round.year, plaque: round.kind };
      let award: typeof awards.$inferSelect | undefined;
      if (input.decision === "award") {
        if (await holdsPlaque(tx, nomination.businessId, round))
          throw new DomainError("plaques.errors.alreadyHolds", 409);
      }
      if (input.decision === "award" && !confirming) {
        // The first of the two decisions: recorded, nothing made, the staff told a confirmation waits.
        await tx
          .update(plaqueNominations)
          .set({ status: "recommended", reviewComment: comment, reviewedBy: actor.userId })
          .where(eq(plaqueNominations.id, nomination.id));
        await recordAudit(tx, actor, "plaque.recommended", nomination.id, {
          before: { status: nomination.status },
          after: { status: "recommended", businessId: nomination.businessId, kind: round.kind, year: round.year },
        });
        return {
          nomination: { ...nomination, status: "recommended" as const, reviewComment: comment },
          award: null,
        };
      }
      const citation = confirming ? (nomination.reviewComment ?? comment) : comment;
      if (input.decision === "award") {
        [award] = await tx
          .insert(awards)
          .values({
            businessId: nomination.businessId,
            kind: round.kind,
            year: round.year,
            citation,
            issuer: PLAQUE_ISSUER,
            awardedBy: actor.userId,
            plaqueCode: newPlaqueCode(),
            awardedAt: now,
            roundId: round.id,
            nominationId: nomination.id,
          })
          .returning();
        await postSystemAnnouncement(
          tx,
          {
            title: `${round.year} 年度${names.zh}：${name}`,
            body: `${name} 经社区党支部评议，获评 ${round.year} 年度“${names.zh}”。\n\n评语：${citation}\n\n扫牌上的二维码或打开 /verify/${award.plaqueCode} 即可核验。`,
            pinned: false,
            message: {
              key: "plaqueAwarded",
              params: {
                year: round.year,
                plaque: round.kind,
                business: name,
                comment,
                code: award.plaqueCode,
              },
            },
          },
          now,
        );
      }
      const status = input.decision === "award" ? ("awarded" as const) : ("declined" as const);
      await tx
        .update(plaqueNominations)
        .set(
          confirming
            ? { status, confirmComment: comment, confirmedBy: actor.userId, confirmedAt: now, decidedAt: now }
            : { status, reviewComment: comment, reviewedBy: actor.userId, decidedAt: now },
        )
        .where(eq(plaqueNominations.id, nomination.id));
      await recordAudit(tx, actor, award ? "plaque.awarded" : "plaque.declined", nomination.id, {
        before: { status: nomination.status },
        after: {
          status,
          stage: confirming ? "confirm" : "review",
          reviewedBy: confirming ? nomination.reviewedBy : actor.userId,
          awardId: award?.id ?? null,
          businessId: nomination.businessId,
          kind: round.kind,
          year: round.year,
        },
      });
      const told = new Set(await ownersOf(tx, nomination.businessId));
      if (nomination.nominatedBy) told.add(nomination.nominatedBy);
      for (const userId of told) {
        await notify(
          tx,
          userId,
          award
            ? { kind: "plaques.awarded", params, link: `/verify/${award.plaqueCode}` }
            : { kind: "plaques.declined", params, link: `/plaques/rounds/${round.id}` },
        );
      }
      return {
        nomination: { ...nomination, status, reviewComment: confirming ? nomination.reviewComment : comment },
        award: award ?? null,
      };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError("plaques.errors.alreadyHolds", 409);
    throw error;
  }
}

/** 摘牌: the plaque stays on record as revoked from now on, with the reason; the owners are told. */
export async function revokePlaque(db: Db, actor: Actor, code: string, reason: string, now: Date) {
  assertCan(actor, { action: "plaque.revoke" });
  const why = requiredText(reason, "reason");
  return db.transaction(async (tx) => {
    const award = await foundOr404(
      tx.select().from(awards).where(eq(awards.plaqueCode, code.trim().toLowerCase())).for("update"),
    );
    if (award.revokedAt) throw new DomainError("plaques.errors.alreadyRevoked", 409);
    await tx
      .update(awards)
      .set({ revokedAt: now, revokeReason: why, revokedBy: actor.userId })
      .where(eq(awards.id, award.id));
    await recordAudit(tx, actor, "plaque.revoked", award.id, {
      before: { revokedAt: null },
      after: { revokedAt: now, reason: why, businessId: award.businessId, kind: award.kind, year: award.year },
    });
    const name = (await businessName(tx, award.businessId)) ?? "";
    for (const owner of await ownersOf(tx, award.businessId)) {
      await notify(tx, owner, {
        kind: "plaques.revoked",
        params: { business: name, year: award.year, plaque: award.kind, reason: why },
        link: `/verify/${award.plaqueCode}`,
      });
    }
    return { ...award, revokedAt: now, revokeReason: why, revokedBy: actor.userId };
  });
}

/** Every round, newest first, with its counts and where it stands now. */
export async function listRounds(db: Db, now: Date) {
  const rounds = await db.select().from(plaqueRounds).orderBy(desc(plaqueRounds.year), asc(plaqueRounds.kind));
  const nominationCounts = await db
    .select({ roundId: plaqueNominations.roundId, status: plaqueNominations.status, n: count() })
    .from(plaqueNominations)
    .groupBy(plaqueNominations.roundId, plaqueNominations.status);
  const revokedCounts = await db
    .select({ roundId: awards.roundId, n: count() })
    .from(awards)
    .where(and(isNotNull(awards.roundId), isNotNull(awards.revokedAt)))
    .groupBy(awards.roundId);
  return rounds.map((r) => {
    const of = (status: string) => nominationCounts.find((c) => c.roundId === r.id && c.status === status)?.n ?? 0;
    return {
      ...r,
      phase: roundPhase(r, now),
      nominations: of("open") + of("recommended") + of("awarded") + of("declined"),
      awarded: of("awarded"),
      declined: of("declined"),
      undecided: of("open") + of("recommended"),
      revoked: revokedCounts.find((c) => c.roundId === r.id)?.n ?? 0,
    };
  });
}

/** The holders of one year's plaques, by kind; a revoked plaque stays listed as revoked. */
export async function holdersOf(db: Db, year: number) {
  return db
    .select({
      ...columnsOf(awards, "kind", "citation", "awardedAt", "revokedAt", "revokeReason"),
      code: awards.plaqueCode,
      businessId: businesses.id,
      businessName: businesses.name,
      businessCode: businesses.code,
    })
    .from(awards)
    .innerJoin(businesses, eq(businesses.id, awards.businessId))
    .where(eq(awards.year, year))
    .orderBy(asc(awards.kind), sql`${awards.revokedAt} is not null`, asc(businesses.code));
}

/** The years that have a round or a plaque, newest first. */
export async function plaqueYears(db: Db): Promise<number[]> {
  const rows = await db.execute(sql`SELECT year FROM plaque_rounds UNION SELECT year FROM awards ORDER BY year DESC`);
  return rowsOf<{ year: number }>(rows).map((r) => Number(r.year));
}

/**
 * One round's page: the round, and the nominations this actor may see: all of them for staff
 * and officers, the awarded ones for everyone (the result is public), and a merchant's own.
 */
export async function roundPage(db: Db, actor: Actor, roundId: number, now: Date) {
  const round = await foundOr404(db.select().from(plaqueRounds).where(eq(plaqueRounds.id, roundId)));
  const seesAll = can(actor, { action: "plaque.seeNominations" });
  const own = actor?.memberships.map((m) => m.businessId) ?? [];
  const rows = await db
    .select({
      ...columnsOf(
        plaqueNominations,
        "id",
        "businessId",
        "capacity",
        "reason",
        "status",
        "reviewComment",
        "createdAt",
        "decidedAt",
        "nominatedBy",
      ),
      businessName: businesses.name,
      businessCode: businesses.code,
      nominatorName: users.displayName,
    })
    .from(plaqueNominations)
    .innerJoin(businesses, eq(businesses.id, plaqueNominations.businessId))
    .leftJoin(users, eq(users.id, plaqueNominations.nominatedBy))
    .where(eq(plaqueNominations.roundId, round.id))
    .orderBy(asc(plaqueNominations.createdAt), asc(plaqueNominations.id));
  const visible = rows.filter(
    (r) => seesAll || r.status === "awarded" || own.includes(r.businessId) || r.nominatedBy === actor?.userId,
  );
  const awardRows = await db
    .select({ nominationId: awards.nominationId, code: awards.plaqueCode, revokedAt: awards.revokedAt })
    .from(awards)
    .where(eq(awards.roundId, round.id));
  const phase = roundPhase(round, now);
  const ownBusinesses =
    own.length > 0
      ? await db
          .select(columnsOf(businesses, "id", "name", "code"))
          .from(businesses)
          .where(inArray(businesses.id, own))
          .orderBy(asc(businesses.code))
      : [];
  return {
    round: { ...round, phase },
    nominations: visible.map(({ nominatedBy: _n, ...r }) => {
      const award = awardRows.find((a) => a.nominationId === r.id);
      return {
        ...r,
        // The reviewer's comment on a decline is for staff, officers and the business, not the public.
        reviewComment: r.status === "declined" && !seesAll && !own.includes(r.businessId) ? null : r.reviewComment,
        nominatorName: seesAll ? r.nominatorName : null,
        plaqueCode: award?.code ?? null,
        revoked: !!award?.revokedAt,
        // An undecided nomination after the review window has lapsed: it was not selected.
        lapsed: (r.status === "open" || r.status === "recommended") && phase === "closed",
      };
    }),
    hidden: rows.length - visible.length,
    seesAll,
    mayNominate: !!actor && phase === "nominating",
    mayNominateAny: can(actor, { action: "plaque.seeNominations" }),
    ownBusinesses,
    mayReview: can(actor, { action: "plaque.review" }),
  };
}
