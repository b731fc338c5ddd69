/**
 * The plaques of the demo district: 20 businesses hold one for this year (12 recommended trusted
 * shops, 8 party-member model merchants), plus a little history from last year, one of it revoked.
 * Codes come from the seeded PRNG so the demo is the same every run; they are demo data only. Real
 * awards get their codes from crypto (app/domain/badges/plaque-code.ts).
 *
 * The rounds that produced them (2025 and 2026 recommended, 2026 model merchant) are seeded too,
 * with one nomination behind every plaque and two declined nominations, so /plaques has a history.
 */
import type { awards, plaqueNominations, plaqueRounds } from "../schema";
import { encodePlaqueCode, PLAQUE_ISSUER } from "../../shared/plaques";
import { createRandom } from "./random";
import { SEED_RANDOM_SEED } from "./demo";

export { PLAQUE_ISSUER };
export const SEED_PLAQUE_YEAR = 2026;

type AwardRow = typeof awards.$inferInsert;
type RoundRow = typeof plaqueRounds.$inferInsert;
type NominationRow = typeof plaqueNominations.$inferInsert;

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
  for (const businessId of [1, pool[20], pool[21]]) {
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
  const revoked = rows[rows.length - 1];
  revoked.revokedAt = at(`${lastYear}-10-20T06:30:00Z`);
  revoked.revokeReason = "经调解组核实，存在缺斤短两问题，群众投诉属实。";
  revoked.revokedBy = input.adminId;
  return rows;
}

/** The seeded rounds (ids 1–3) with their windows, in Asia/Shanghai days. */
const seededRounds = [
  {
    id: 1,
    kind: "recommended",
    year: SEED_PLAQUE_YEAR - 1,
    nomination: ["2025-01-06", "2025-02-01"],
    review: ["2025-02-01", "2025-03-16"],
  },
  {
    id: 2,
    kind: "recommended",
    year: SEED_PLAQUE_YEAR,
    nomination: ["2026-01-05", "2026-02-01"],
    review: ["2026-02-01", "2026-03-16"],
  },
  {
    id: 3,
    kind: "model_merchant",
    year: SEED_PLAQUE_YEAR,
    nomination: ["2026-05-04", "2026-06-01"],
    review: ["2026-06-01", "2026-07-02"],
  },
] as const;

const criteria = {
  recommended: "诚信经营、明码标价、无缺斤短两；近 12 个月无属实投诉；积极参与商圈共建。",
  model_merchant: "党员经营者或党员员工亮明身份；守法经营、热心公益，在商圈中带头示范。",
} as const;

const shanghaiMidnight = (day: string) => new Date(`${day}T00:00:00+08:00`);

/**
 * The selection behind the seeded plaques: rounds, one awarded nomination per plaque (linked from
 * the plaque), and two declined nominations in the 2026 recommended round.
 */
export function buildPlaqueSelection(input: {
  shopIds: number[];
  stallIds: number[];
  adminId: string;
  ownerId: string;
  presidentId: string;
}) {
  const awardRows = buildAwards(input);
  const rounds: RoundRow[] = seededRounds.map((r) => ({
    id: r.id,
    kind: r.kind,
    year: r.year,
    criteria: criteria[r.kind],
    nominationOpensAt: shanghaiMidnight(r.nomination[0]),
    nominationClosesAt: shanghaiMidnight(r.nomination[1]),
    reviewOpensAt: shanghaiMidnight(r.review[0]),
    reviewClosesAt: shanghaiMidnight(r.review[1]),
    openedBy: input.adminId,
    createdAt: new Date(shanghaiMidnight(r.nomination[0]).getTime() - 3 * 86_400_000),
  }));
  const roundOf = (kind: string, year: number) => rounds.find((r) => r.kind === kind && r.year === year)!;
  const nominations: NominationRow[] = [];
  const nominate = (roundId: number, businessId: number, index: number, extra: Partial<NominationRow>) => {
    const round = rounds.find((r) => r.id === roundId)!;
    const createdAt = new Date(round.nominationOpensAt.getTime() + (index + 1) * 3_600_000);
    // S0001 and S0002 put themselves forward; the officers and the staff nominate the others.
    const [nominatedBy, capacity] =
      businessId === 1
        ? [input.ownerId, "merchant" as const]
        : businessId === 2
          ? [input.presidentId, "merchant" as const]
          : index % 2 === 0
            ? [input.presidentId, "officer" as const]
            : [input.adminId, "staff" as const];
    const row: NominationRow = {
      id: nominations.length + 1,
      roundId,
      businessId,
      nominatedBy,
      capacity,
      reason:
        capacity === "merchant" ? "本店坚持明码标价、足斤足两，申请参评。" : "群众口碑好，多次收到表扬，推荐参评。",
      createdAt,
      ...extra,
    };
    nominations.push(row);
    return row;
  };
  awardRows.forEach((award, index) => {
    const round = roundOf(award.kind, award.year);
    const n = nominate(round.id!, award.businessId, index, {
      status: "awarded",
      reviewComment: award.citation,
      reviewedBy: input.adminId,
      decidedAt: award.awardedAt,
    });
    award.roundId = round.id!;
    award.nominationId = n.id!;
  });
  // Two shops nominated in 2026 and declined: their record did not meet the criteria.
  const held = new Set(awardRows.map((a) => a.businessId));
  const declined = input.shopIds.filter((id) => id > 5 && !held.has(id)).slice(0, 2);
  const round2026 = roundOf("recommended", SEED_PLAQUE_YEAR);
  declined.forEach((businessId, i) =>
    nominate(round2026.id!, businessId, awardRows.length + i, {
      status: "declined",
      reviewComment: "近 12 个月有属实的价格投诉，本年度暂不推荐。",
      reviewedBy: input.adminId,
      decidedAt: new Date(`${SEED_PLAQUE_YEAR}-03-15T02:00:00Z`),
    }),
  );
  return { rounds, nominations, awards: awardRows };
}
