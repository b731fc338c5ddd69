import { eq, sql } from "drizzle-orm";
import { rowsOf, type Db } from "../../../db/client";
import { awards, businesses } from "../../../db/schema";
import { standingYearOf } from "../directory/search.server";
import { isPlaqueCodeShaped } from "./plaque-code";
import { columnsOf } from "../../../db/select";

export type PlaqueVerdict = "current" | "superseded" | "revoked";

/**
 * What a shopper learns by scanning a plaque: genuine and current, genuine but from an earlier
 * round (a later selection of its kind has finished: see `currentAwardsCte`), revoked (with date
 * and reason), or (null) not genuine.
 */
export async function verifyPlaque(db: Db, code: string, now = new Date()) {
  const normalized = code.trim().toLowerCase();
  if (!isPlaqueCodeShaped(normalized)) return null;
  const [award] = await db
    .select({
      code: awards.plaqueCode,
      ...columnsOf(awards, "kind", "year", "citation", "issuer", "awardedAt", "revokedAt", "revokeReason"),
      businessId: businesses.id,
      businessName: businesses.name,
      businessCode: businesses.code,
      businessStatus: businesses.status,
    })
    .from(awards)
    .innerJoin(businesses, eq(businesses.id, awards.businessId))
    .where(eq(awards.plaqueCode, normalized));
  if (!award) return null;
  const standing = rowsOf<{ year: number | null }>(
    await db.execute(sql`SELECT ${standingYearOf(sql`${award.kind}`, now)} AS year`),
  )[0]?.year;
  const verdict: PlaqueVerdict = award.revokedAt
    ? "revoked"
    : standing != null && award.year < Number(standing)
      ? "superseded"
      : "current";
  return { ...award, verdict };
}
