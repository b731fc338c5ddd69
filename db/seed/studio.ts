/**
 * The shared studios and a few demo bookings. The studios are fixed; the bookings are placed
 * relative to the day the seed runs (tomorrow and the day after, district time), so a fresh demo
 * always has upcoming shows. That is the only clock the seed reads; nothing here is random.
 */
import { inArray } from "drizzle-orm";
import type { Db } from "../client";
import { bookings, businesses, places, studios } from "../schema";
import { hashStreamKey } from "../../shared/secrets.server";
import { districtDate, districtInstant } from "../../shared/district-time";

export const DEMO_STUDIOS = [
  { code: "studio_a", opensAt: 8 * 60, closesAt: 22 * 60 },
  { code: "studio_b", opensAt: 9 * 60, closesAt: 21 * 60 },
] as const;

/** Demo stream keys are not secret (they are in this file); a real booking gets a random one. */
const DEMO_BOOKINGS = [
  {
    publicId: "demoa1laowang",
    studio: "studio_a",
    business: "S0001",
    dayOffset: 1,
    start: 10 * 60,
    minutes: 90,
    title: "老王烩面：现场拉面教学",
    description: "手把手教你拉一碗地道禹州烩面，直播间下单享八折。",
  },
  {
    publicId: "demob1zhaojie",
    studio: "studio_b",
    business: "T0001",
    dayOffset: 1,
    start: 19 * 60,
    minutes: 60,
    title: "赵姐凉皮夜市专场",
    description: "凉皮、擀面皮现做现卖，夜市摊位同步开播。",
  },
  {
    publicId: "demoa2chenshi",
    studio: "studio_a",
    business: "S0002",
    dayOffset: 2,
    start: 14 * 60,
    minutes: 120,
    title: "商圈好物推荐",
    description: "联盟会长带你逛商圈，诚信商户好物推荐。",
  },
] as const;

/** The ids of `table`'s rows with the `codes` given, by code. */
async function idsByCode(tx: Db, table: typeof places | typeof businesses, codes: string[]) {
  const rows = await tx.select({ id: table.id, code: table.code }).from(table).where(inArray(table.code, codes));
  return new Map(rows.map((r) => [r.code, r.id]));
}

export async function seedStudio(tx: Db, now: Date, log: (msg: string) => void) {
  const placeId = await idsByCode(
    tx,
    places,
    DEMO_STUDIOS.map((s) => s.code),
  );
  const studioRows = await tx
    .insert(studios)
    .values(DEMO_STUDIOS.map((s) => ({ ...s, placeId: placeId.get(s.code)! })))
    .returning();
  const studioId = new Map(studioRows.map((s) => [s.code, s.id]));
  const businessId = await idsByCode(
    tx,
    businesses,
    DEMO_BOOKINGS.map((b) => b.business),
  );
  const today = districtDate(now);
  const dayAfter = (offset: number) => districtDate(new Date(Date.parse(`${today}T12:00:00Z`) + offset * 86_400_000));
  await tx.insert(bookings).values(
    DEMO_BOOKINGS.map((b) => ({
      publicId: b.publicId,
      studioId: studioId.get(b.studio)!,
      businessId: businessId.get(b.business)!,
      startsAt: districtInstant(dayAfter(b.dayOffset), b.start),
      endsAt: districtInstant(dayAfter(b.dayOffset), b.start + b.minutes),
      title: b.title,
      description: b.description,
      streamKeyHash: hashStreamKey(`demo-key-${b.publicId}`),
    })),
  );
  log(`studios: ${studioRows.length}, bookings: ${DEMO_BOOKINGS.length}`);
}
