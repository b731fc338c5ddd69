import { relations } from "drizzle-orm";
import { index, integer, pgTable, serial, smallint, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { users } from "./accounts";
import { businesses } from "./directory";
import { plaqueKinds } from "./enums";

/**
 * A plaque the party branch awarded: 党支部推荐放心店 (`recommended`) or 党员示范商户
 * (`model_merchant`) for one year. The code printed as a QR code on the plaque is random and
 * unguessable; revoking (摘牌) keeps the row, so the verify page can say "revoked".
 */
export const awards = pgTable(
  "awards",
  {
    id: serial("id").primaryKey(),
    businessId: integer("business_id")
      .notNull()
      .references(() => businesses.id),
    kind: text("kind", { enum: plaqueKinds }).notNull(),
    year: smallint("year").notNull(),
    citation: text("citation").notNull().default(""),
    /** The issuing body as printed on the plaque, e.g. 中共商贸社区支部委员会. */
    issuer: text("issuer").notNull(),
    awardedBy: text("awarded_by").references(() => users.id),
    plaqueCode: text("plaque_code").notNull().unique(),
    awardedAt: timestamp("awarded_at", { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokeReason: text("revoke_reason"),
    revokedBy: text("revoked_by").references(() => users.id),
  },
  (t) => [
    index("awards_business_idx").on(t.businessId),
    uniqueIndex("awards_business_kind_year_uq").on(t.businessId, t.kind, t.year),
  ],
);

export const awardsRelations = relations(awards, ({ one }) => ({
  business: one(businesses, { fields: [awards.businessId], references: [businesses.id] }),
}));
