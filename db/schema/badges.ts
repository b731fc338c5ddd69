import { relations } from "drizzle-orm";
import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, smallint, text, uniqueIndex, type AnyPgColumn } from "drizzle-orm/pg-core";
import { at, createdAt, serialId, intRef } from "./columns";
import { userRef } from "./references";
import { businesses } from "./directory";
import { nominationStatuses, nominatorCapacities, plaqueKinds } from "./enums";

/**
 * One year's selection of one plaque kind: the criteria, the nomination window and the review
 * window (each [opens, closes)). One round per kind and year.
 */
export const plaqueRounds = pgTable(
  "plaque_rounds",
  {
    id: serialId(),
    kind: text("kind", { enum: plaqueKinds }).notNull(),
    year: smallint("year").notNull(),
    criteria: text("criteria").notNull(),
    nominationOpensAt: at("nomination_opens_at").notNull(),
    nominationClosesAt: at("nomination_closes_at").notNull(),
    reviewOpensAt: at("review_opens_at").notNull(),
    reviewClosesAt: at("review_closes_at").notNull(),
    openedBy: userRef("opened_by"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("plaque_rounds_kind_year_uq").on(t.kind, t.year),
    check(
      "plaque_rounds_windows",
      sql`${t.nominationOpensAt} < ${t.nominationClosesAt} and ${t.reviewOpensAt} < ${t.reviewClosesAt} and ${t.nominationOpensAt} <= ${t.reviewOpensAt} and ${t.nominationClosesAt} <= ${t.reviewClosesAt}`,
    ),
  ],
);

/**
 * A business put forward in a round, with the nominator's reason; the reviewer's comment and
 * decision once made. A business is nominated at most once per round (kind and year).
 */
export const plaqueNominations = pgTable(
  "plaque_nominations",
  {
    id: serialId(),
    roundId: intRef("round_id", () => plaqueRounds.id),
    businessId: intRef("business_id", () => businesses.id),
    nominatedBy: userRef("nominated_by"),
    capacity: text("capacity", { enum: nominatorCapacities }).notNull(),
    reason: text("reason").notNull(),
    status: text("status", { enum: nominationStatuses }).notNull().default("open"),
    reviewComment: text("review_comment"),
    reviewedBy: userRef("reviewed_by"),
    decidedAt: at("decided_at"),
    /** The second staff decision an award needs: who confirmed the reviewer's recommendation, and why. */
    confirmedBy: userRef("confirmed_by"),
    confirmComment: text("confirm_comment"),
    confirmedAt: at("confirmed_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("plaque_nominations_round_business_uq").on(t.roundId, t.businessId),
    index("plaque_nominations_business_idx").on(t.businessId),
  ],
);

/**
 * A plaque the party branch awarded: 党支部推荐放心店 (`recommended`) or 党员示范商户
 * (`model_merchant`) for one year. The code printed as a QR code on the plaque is random and
 * unguessable; revoking (摘牌) keeps the row, so the verify page can say "revoked".
 */
export const awards = pgTable(
  "awards",
  {
    id: serialId(),
    businessId: intRef("business_id", () => businesses.id),
    kind: text("kind", { enum: plaqueKinds }).notNull(),
    year: smallint("year").notNull(),
    citation: text("citation").notNull().default(""),
    /** The issuing body as printed on the plaque, e.g. 中共商贸社区支部委员会. */
    issuer: text("issuer").notNull(),
    awardedBy: userRef("awarded_by"),
    plaqueCode: text("plaque_code").notNull().unique(),
    awardedAt: at("awarded_at").notNull().defaultNow(),
    revokedAt: at("revoked_at"),
    revokeReason: text("revoke_reason"),
    revokedBy: userRef("revoked_by"),
    /** The round and nomination that produced it (null for plaques from before the selection was online). */
    roundId: integer("round_id").references((): AnyPgColumn => plaqueRounds.id),
    nominationId: integer("nomination_id").references((): AnyPgColumn => plaqueNominations.id),
  },
  (t) => [
    index("awards_business_idx").on(t.businessId),
    uniqueIndex("awards_business_kind_year_uq").on(t.businessId, t.kind, t.year),
    uniqueIndex("awards_nomination_uq").on(t.nominationId),
    index("awards_round_idx").on(t.roundId),
  ],
);

export const awardsRelations = relations(awards, ({ one }) => ({
  business: one(businesses, { fields: [awards.businessId], references: [businesses.id] }),
}));
