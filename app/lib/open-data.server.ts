import { formatMinute } from "~/domain/directory/hours";
import type { DirectoryEntry } from "~/domain/directory/search.server";

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
    url: `${origin}/shops/${entry.id}`,
    ...extra,
  };
}
