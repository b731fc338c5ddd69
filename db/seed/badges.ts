/**
 * The plaques of the demo district: 20 businesses hold one for this year (12 recommended trusted
 * shops, 8 party-member model merchants), plus a little history from last year, one of it revoked.
 * Codes come from the seeded PRNG so the demo is the same every run; they are demo data only. Real
 * awards get their codes from crypto (app/domain/badges/plaque-code.ts).
 */
import type { awards } from "../schema";
import { encodePlaqueCode } from "../../app/domain/badges/plaque-code";
import { createRandom } from "./random";
import { SEED_RANDOM_SEED } from "./demo";

export const SEED_PLAQUE_YEAR = 2026;
export const PLAQUE_ISSUER = "中共禹州市商贸社区支部委员会";

type AwardRow = typeof awards.$inferInsert;

const citations = {
  recommended: "诚信经营、明码标价、服务热情，群众满意度高，经党支部评议推荐为放心店。",
  model_merchant: "党员商户带头守法经营、热心公益，在商圈共建中发挥示范作用。",
} as const;

export function buildAwards(input: { shopIds: number[]; stallIds: number[]; adminId: string }): AwardRow[] {
  const random = createRandom(SEED_RANDOM_SEED, "awards");
  const code = () => encodePlaqueCode(Uint8Array.from({ length: 16 }, () => random.int(0, 255)));
  const at = (iso: string) => new Date(iso);
  // S0001 (the demo owner's shop) and S0002 (the president's) are among the holders.
  const pool = random.shuffle(input.shopIds.filter((id) => id > 5));
  const recommended = [1, ...pool.slice(0, 10), random.pick(input.stallIds)];
  const modelMerchants = [2, ...pool.slice(10, 17)];
  const rows: AwardRow[] = [];
  for (const businessId of recommended) {
    rows.push({
      businessId,
      kind: "recommended",
      year: SEED_PLAQUE_YEAR,
      citation: citations.recommended,
      issuer: PLAQUE_ISSUER,
      awardedBy: input.adminId,
      plaqueCode: code(),
      awardedAt: at(`${SEED_PLAQUE_YEAR}-03-15T02:00:00Z`),
    });
  }
  for (const businessId of modelMerchants) {
    rows.push({
      businessId,
      kind: "model_merchant",
      year: SEED_PLAQUE_YEAR,
      citation: citations.model_merchant,
      issuer: PLAQUE_ISSUER,
      awardedBy: input.adminId,
      plaqueCode: code(),
      awardedAt: at(`${SEED_PLAQUE_YEAR}-07-01T02:00:00Z`),
    });
  }
  const lastYear = SEED_PLAQUE_YEAR - 1;
  for (const businessId of [1, pool[20]!, pool[21]!]) {
    rows.push({
      businessId,
      kind: "recommended",
      year: lastYear,
      citation: citations.recommended,
      issuer: PLAQUE_ISSUER,
      awardedBy: input.adminId,
      plaqueCode: code(),
      awardedAt: at(`${lastYear}-03-15T02:00:00Z`),
    });
  }
  // One of last year's plaques was taken down (摘牌) after a verified complaint.
  const revoked = rows[rows.length - 1]!;
  revoked.revokedAt = at(`${lastYear}-10-20T06:30:00Z`);
  revoked.revokeReason = "经调解组核实，存在缺斤短两问题，群众投诉属实。";
  revoked.revokedBy = input.adminId;
  return rows;
}
