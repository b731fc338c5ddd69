import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { businesses } from "../../../db/schema";
import { formatMinute } from "./hours";
import type { DirectoryEntry } from "./search.server";

const window = (opens: number | null, closes: number | null) =>
  opens === null || closes === null
    ? null
    : { opens: formatMinute(opens), closes: formatMinute(closes), crossesMidnight: closes < opens };

/** A business as the open-data API publishes it (no personal data). */
export function publicBusiness(
  entry: DirectoryEntry,
  origin: string,
  extra: { phone?: string | null; description?: string } = {},
) {
  return {
    id: entry.id,
    code: entry.code,
    kind: entry.kind,
    name: entry.name,
    category: { code: entry.categoryCode, nameZh: entry.categoryZh, nameEn: entry.categoryEn },
    street: { code: entry.streetCode, nameZh: entry.streetZh, nameEn: entry.streetEn },
    number: entry.number,
    market: entry.market,
    stall: entry.stallNumber,
    grid: entry.gridCode,
    microGrid: entry.microGridCode,
    hours: { day: window(entry.dayOpensAt, entry.dayClosesAt), night: window(entry.nightOpensAt, entry.nightClosesAt) },
    openNow: entry.openNow,
    plaques: entry.plaques.map((p) => ({
      kind: p.kind,
      year: p.year,
      code: p.code,
      verifyUrl: `${origin}/verify/${p.code}`,
    })),
    rating: { average: entry.ratingAverage, count: entry.ratingCount },
    url: `${origin}/shops/${entry.id}`,
    ...extra,
  };
}

/**
 * What the open-data API adds for one business: its description, its status, and its phone only
 * where the owner published it.
 */
export async function publishedBusinessDetails(db: Db, businessId: number) {
  const [row] = await db
    .select({
      phone: businesses.phone,
      phonePublic: businesses.phonePublic,
      description: businesses.description,
      status: businesses.status,
    })
    .from(businesses)
    .where(eq(businesses.id, businessId));
  return { phone: row?.phonePublic ? row.phone : null, description: row?.description ?? "", status: row?.status };
}
