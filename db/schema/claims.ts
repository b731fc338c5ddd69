import { bigserial, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { users } from "./accounts";
import { businesses } from "./directory";

/**
 * One-time codes that community staff hand to a business's owner. Only a hash is stored;
 * the code itself is shown once, when it is issued.
 */
export const claimCodes = pgTable(
  "claim_codes",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    businessId: integer("business_id")
      .notNull()
      .references(() => businesses.id),
    codeHash: text("code_hash").notNull().unique(),
    /** The last characters, so staff can tell codes apart on the list. */
    hint: text("hint").notNull(),
    issuedBy: text("issued_by").references(() => users.id),
    issuedAt: timestamp("issued_at", { withTimezone: true }).notNull().defaultNow(),
    usedBy: text("used_by").references(() => users.id),
    usedAt: timestamp("used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("claim_codes_business_idx").on(t.businessId)],
);
