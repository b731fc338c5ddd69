import { bigserial, index, pgTable, text } from "drizzle-orm/pg-core";
import { at, intRef } from "./columns";
import { userRef } from "./references";
import { businesses } from "./directory";

/**
 * One-time codes that community staff hand to a business's owner. Only a hash is stored;
 * the code itself is shown once, when it is issued.
 */
export const claimCodes = pgTable(
  "claim_codes",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    businessId: intRef("business_id", () => businesses.id),
    codeHash: text("code_hash").notNull().unique(),
    /** The last characters, so staff can tell codes apart on the list. */
    hint: text("hint").notNull(),
    issuedBy: userRef("issued_by"),
    issuedAt: at("issued_at").notNull().defaultNow(),
    usedBy: userRef("used_by"),
    usedAt: at("used_at"),
    revokedAt: at("revoked_at"),
  },
  (t) => [index("claim_codes_business_idx").on(t.businessId)],
);
