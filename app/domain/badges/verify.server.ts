import { eq, max } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { awards, businesses } from "../../../db/schema";
import { isPlaqueCodeShaped } from "./plaque-code";

export type PlaqueVerdict = "current" | "superseded" | "revoked";

/**
 * What a shopper learns by scanning a plaque: genuine and current, genuine but from an earlier
 * round, revoked (with date and reason), or (null) not genuine.
 */
export async function verifyPlaque(db: Db, code: string) {
  const normalized = code.trim().toLowerCase();
  if (!isPlaqueCodeShaped(normalized)) return null;
  const [award] = await db
    .select({
      code: awards.plaqueCode,
      kind: awards.kind,
      year: awards.year,
      citation: awards.citation,
      issuer: awards.issuer,
      awardedAt: awards.awardedAt,
      revokedAt: awards.revokedAt,
      revokeReason: awards.revokeReason,
      businessId: businesses.id,
      businessName: businesses.name,
      businessCode: businesses.code,
      businessStatus: businesses.status,
    })
    .from(awards)
    .innerJoin(businesses, eq(businesses.id, awards.businessId))
    .where(eq(awards.plaqueCode, normalized));
  if (!award) return null;
  const [latest] = await db.select({ year: max(awards.year) }).from(awards).where(eq(awards.kind, award.kind));
  const verdict: PlaqueVerdict = award.revokedAt ? "revoked" : award.year < (latest?.year ?? award.year) ? "superseded" : "current";
  return { ...award, verdict };
}
