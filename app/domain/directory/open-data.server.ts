import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { businesses } from "../../../db/schema";
import { followedDirectoryVersion, readDirectoryVersion } from "../../lib/directory-version.server";
import { formatMinute } from "./hours";
import { minuteKey, standingEpoch, type DirectoryEntry } from "./search.server";

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

/**
 * The validator of an open-data directory answer: the directory version (bumped by triggers on
 * every write behind the directory, docs/decisions/027), the standing epoch (which plaques are
 * current: it moves the moment a round's review closes, docs/decisions/053) and the minute
 * (open-now). Equal tags mean equal answers for the same URL, so a client or CDN that sends it
 * back gets a 304 without a search; a write changes it at once. Undefined when the version cannot
 * be known (then no tag is sent).
 */
export async function directoryEtag(db: Db, now = new Date()): Promise<string | undefined> {
  const version = followedDirectoryVersion(db)?.current() ?? (await readDirectoryVersion(db));
  if (version === undefined) return undefined;
  return `W/"d${version}-e${await standingEpoch(db, now)}-m${minuteKey(now)}"`;
}
