import { sql, type Placeholder, type SQL } from "drizzle-orm";
import { timeValue } from "../../../db/select";
import { rowsOf, type Db } from "../../../db/client";
import { plaqueKinds, type BusinessKind, type PlaqueKind } from "../../../db/schema/enums";
import { districtMinuteOfDay } from "../../lib/time";
import { cachedDirectoryRead } from "./cache.server";
import { isOpenAt } from "./hours";
import { ratingAverage } from "../reviews/rules";
import { searchTerms, type DirectoryFilters } from "./filters";

/**
 * A plaque is current while it is not revoked and no later selection of its kind has finished:
 * its year is at least the "standing" year, the latest year whose round's review window has
 * closed (or that has plaques awarded outside any round). A 2026 plaque therefore stays current
 * while the 2027 round is still being decided, and the 2027 plaques awarded meanwhile are current
 * too; when the 2027 review closes, the 2026 plaques become genuine but superseded.
 */
export const standingYearOf = (kind: SQL, now: Date | Placeholder) => sql`greatest(
    (SELECT max(r.year) FROM plaque_rounds r WHERE r.kind = ${kind} AND r.review_closes_at <= ${timeValue(now)}::timestamptz),
    (SELECT max(s.year) FROM awards s WHERE s.kind = ${kind} AND s.round_id IS NULL))`;

/**
 * The plaques current at `now` (see above). Each kind's standing year is asked with the kind
 * written out, so Postgres computes it once a query (an init plan), not once per award.
 */
export const currentAwardsCte = (now: Date) => sql`current_awards AS (
  SELECT a.business_id, a.kind, a.year, a.plaque_code
    FROM awards a
   WHERE a.revoked_at IS NULL
     AND a.year >= coalesce(CASE a.kind ${sql.join(
       plaqueKinds.map((kind) => sql`WHEN ${sql.raw(`'${kind}'`)} THEN ${standingYearOf(sql.raw(`'${kind}'`), now)}`),
       sql` `,
     )} END, a.year)
)`;

/** The epoch minute: open-now changes by the minute (the API's ETag holds it). */
export const minuteKey = (now: Date) => Math.floor(now.getTime() / 60_000);

/**
 * How many selection rounds' review windows have closed by `now`. Which plaques are current
 * (above) changes only when this count does, so a read that depends on the time only through the
 * current plaques can be kept per epoch rather than per minute (docs/decisions/053). The closing
 * times are read once per directory version: a change to a round bumps it (migration
 * `plaque_rounds_directory_version`).
 */
export async function standingEpoch(db: Db, now: Date): Promise<number> {
  const closes = await cachedDirectoryRead(db, "rounds:review-closes", async () => {
    const result = await db.execute(
      sql`SELECT (extract(epoch FROM review_closes_at) * 1000)::float8 AS at FROM plaque_rounds ORDER BY 1`,
    );
    return rowsOf<{ at: number | string }>(result).map((r) => Number(r.at));
  });
  let epoch = 0;
  while (epoch < closes.length && closes[epoch] <= now.getTime()) epoch++;
  return epoch;
}

/**
 * The part of a cached directory read's key that the time sets: the standing epoch (which plaques
 * are current) and, only when the filters ask for businesses open now, the minute.
 */
async function timeKey(db: Db, filters: DirectoryFilters, now: Date): Promise<string> {
  return `${await standingEpoch(db, now)}:${filters.open === "now" ? minuteKey(now) : "-"}`;
}

/** Where a business is and what it sells: the joins every directory query shares. */
const placeJoins = sql`
  LEFT JOIN storefronts sf ON sf.id = b.storefront_id
  LEFT JOIN stalls sl ON sl.id = b.stall_id
  JOIN micro_grids mg ON mg.id = coalesce(sf.micro_grid_id, sl.micro_grid_id)
  JOIN grids g ON g.id = mg.grid_id
  JOIN streets st ON st.id = coalesce(sf.street_id, sl.street_id)
  JOIN categories c ON c.code = b.category_code`;

function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function bigrams(term: string): string[] {
  const chars = [...term];
  const grams = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) grams.add(chars[i] + chars[i + 1]);
  return [...grams];
}

const textArray = (items: string[]) =>
  sql`ARRAY[${sql.join(
    items.map((i) => sql`${i}`),
    sql`, `,
  )}]::text[]`;

/**
 * One search term: its n-grams must be among the search text's (`xq_ngrams`, the GIN index's
 * expression: ADR 039); a longer term is then looked for whole in the lower-cased text.
 */
function termCondition(term: string): SQL {
  const chars = [...term];
  if (chars.length <= 2) return sql`xq_ngrams(b.search_text) @> ${textArray([term])}`;
  return sql`(xq_ngrams(b.search_text) @> ${textArray(bigrams(term))} AND strpos(b.search_text, lower(${term})) > 0)`;
}

function windowOpen(opens: SQL, closes: SQL, minute: number): SQL {
  return sql`(${opens} IS NOT NULL AND ${closes} IS NOT NULL AND CASE
    WHEN ${opens} = ${closes} THEN true
    WHEN ${opens} < ${closes} THEN ${minute} >= ${opens} AND ${minute} < ${closes}
    ELSE ${minute} >= ${opens} OR ${minute} < ${closes} END)`;
}

export function openNowCondition(minute: number): SQL {
  return sql`(${windowOpen(sql`b.day_opens_at`, sql`b.day_closes_at`, minute)} OR ${windowOpen(sql`b.night_opens_at`, sql`b.night_closes_at`, minute)})`;
}

/** The WHERE of a directory query: filters and search terms, for open businesses only. */
export function directoryConditions(filters: DirectoryFilters, now: Date): SQL {
  const conditions: SQL[] = [sql`b.status = 'open'`];
  if (filters.kind) conditions.push(sql`b.kind = ${filters.kind}`);
  if (filters.category) conditions.push(sql`b.category_code = ${filters.category}`);
  if (filters.street) conditions.push(sql`st.code = ${filters.street}`);
  if (filters.grid) conditions.push(sql`g.code = ${filters.grid}`);
  if (filters.microGrid) conditions.push(sql`mg.code = ${filters.microGrid}`);
  if (filters.plaque === "any")
    conditions.push(sql`EXISTS (SELECT 1 FROM current_awards ca WHERE ca.business_id = b.id)`);
  else if (filters.plaque) {
    conditions.push(
      sql`EXISTS (SELECT 1 FROM current_awards ca WHERE ca.business_id = b.id AND ca.kind = ${filters.plaque})`,
    );
  }
  if (filters.open === "now") conditions.push(openNowCondition(districtMinuteOfDay(now)));
  if (filters.night === "1") conditions.push(sql`b.night_opens_at IS NOT NULL`);
  for (const term of searchTerms(filters.q)) conditions.push(termCondition(term));
  return sql.join(conditions, sql` AND `);
}

export interface DirectoryPlaque {
  kind: PlaqueKind;
  year: number;
  code: string;
}

export interface DirectoryEntry {
  id: number;
  code: string;
  kind: BusinessKind;
  name: string;
  categoryCode: string;
  categoryZh: string;
  categoryEn: string;
  streetCode: string;
  streetZh: string;
  streetEn: string;
  number: string | null;
  market: "day" | "night" | null;
  stallNumber: string | null;
  gridCode: string;
  microGridCode: string;
  x: number;
  y: number;
  dayOpensAt: number | null;
  dayClosesAt: number | null;
  nightOpensAt: number | null;
  nightClosesAt: number | null;
  openNow: boolean;
  plaques: DirectoryPlaque[];
  /** Visible reviews (docs/decisions/021-reviews-that-cannot-be-bought.md); the average has one decimal, null without reviews. */
  ratingCount: number;
  ratingAverage: number | null;
}

interface Row {
  id: number;
  code: string;
  kind: BusinessKind;
  name: string;
  category_code: string;
  category_zh: string;
  category_en: string;
  street_code: string;
  street_zh: string;
  street_en: string;
  number: string | null;
  market: "day" | "night" | null;
  stall_number: string | null;
  grid_code: string;
  micro_grid_code: string;
  x: number;
  y: number;
  day_opens_at: number | null;
  day_closes_at: number | null;
  night_opens_at: number | null;
  night_closes_at: number | null;
  open_now: boolean;
  plaques: DirectoryPlaque[] | string | null;
  rating_count: number | string;
  rating_sum: number | string;
  total: number | string;
}

const entryColumns = (minute: number) => sql`
  b.id, b.code, b.kind, b.name, b.category_code, c.name_zh AS category_zh, c.name_en AS category_en,
  st.code AS street_code, st.name_zh AS street_zh, st.name_en AS street_en,
  sf.number, sl.market, sl.number AS stall_number, g.code AS grid_code, mg.code AS micro_grid_code,
  coalesce(sf.x, sl.x) AS x, coalesce(sf.y, sl.y) AS y,
  b.day_opens_at, b.day_closes_at, b.night_opens_at, b.night_closes_at,
  ${openNowCondition(minute)} AS open_now, b.rating_count, b.rating_sum,
  (SELECT coalesce(json_agg(json_build_object('kind', ca.kind, 'year', ca.year, 'code', ca.plaque_code) ORDER BY ca.kind, ca.year DESC), '[]'::json)
     FROM current_awards ca WHERE ca.business_id = b.id) AS plaques`;

function toEntry(row: Row): DirectoryEntry {
  const plaques =
    typeof row.plaques === "string" ? (JSON.parse(row.plaques) as DirectoryPlaque[]) : (row.plaques ?? []);
  return {
    id: Number(row.id),
    code: row.code,
    kind: row.kind,
    name: row.name,
    categoryCode: row.category_code,
    categoryZh: row.category_zh,
    categoryEn: row.category_en,
    streetCode: row.street_code,
    streetZh: row.street_zh,
    streetEn: row.street_en,
    number: row.number,
    market: row.market,
    stallNumber: row.stall_number,
    gridCode: row.grid_code,
    microGridCode: row.micro_grid_code,
    x: Number(row.x),
    y: Number(row.y),
    dayOpensAt: row.day_opens_at,
    dayClosesAt: row.day_closes_at,
    nightOpensAt: row.night_opens_at,
    nightClosesAt: row.night_closes_at,
    openNow: Boolean(row.open_now),
    plaques,
    ratingCount: Number(row.rating_count),
    ratingAverage: ratingAverage(Number(row.rating_count), Number(row.rating_sum)),
  };
}

/**
 * The directory: businesses matching the filters and the search, plaque holders first among
 * equal matches (a match in the name counts more than one in the description), one page of them
 * and the total.
 */
export async function searchDirectory(db: Db, filters: DirectoryFilters, now = new Date()) {
  const result = await cachedDirectoryRead(
    db,
    `search:${await timeKey(db, filters, now)}:${JSON.stringify(filters)}`,
    () => querySearch(db, filters, now),
  );
  // Kept until the plaques can change (docs/decisions/053); open-now is this minute's.
  const minute = districtMinuteOfDay(now);
  return { ...result, items: result.items.map((item) => ({ ...item, openNow: isOpenAt(item, minute) })) };
}

/**
 * How much a term counts towards "found in the name": 1 when the name, its pinyin or the code
 * holds it. A term without letters or digits (Chinese, say) is caseless and cannot be in the
 * pinyin (letters and digits only), so it is looked up with a plain `strpos` and an equal code,
 * which skip ILIKE's and lower()'s copy of every name and code (tens of thousands of rows for a
 * common character such as 路).
 */
function nameHit(term: string): SQL {
  const pattern = "%" + escapeLike(term) + "%";
  const caseless = term.toUpperCase() === term && term.toLowerCase() === term;
  if (caseless && !/[0-9]/.test(term)) return sql`(strpos(b.name, ${term}) > 0 OR b.code = ${term})::int`;
  return sql`(b.name ILIKE ${pattern} OR b.name_pinyin LIKE ${pattern} OR lower(b.code) = ${term})::int`;
}

/**
 * The directory's order, over the rank columns of a page: best rated first when sorting by rating,
 * then matches in the name, then plaque holders, then by code.
 */
const rankOrder = sql`rank_rating DESC NULLS LAST, rank_hits DESC, rank_holder DESC, rank_code ASC`;

/** The search itself, without the cache (benchmarks measure this). */
export async function querySearch(db: Db, filters: DirectoryFilters, now = new Date()) {
  const minute = districtMinuteOfDay(now);
  const terms = searchTerms(filters.q);
  const offset = (filters.page - 1) * filters.perPage;
  // Two steps: rank the matching ids and count them in one pass over cheap columns (the window
  // count is taken before the LIMIT), then build the full rows of one page. The page comes back as
  // one JSON text rather than ~25 columns a row: on PGlite each field is decoded and copied in
  // JavaScript on the database thread, and the text costs it ~10 % less per search.
  const result = await db.execute(sql`
    WITH ${currentAwardsCte(now)},
    page AS (
      SELECT b.id,
             ${filters.sort === "rating" ? sql`b.rating_sum::float8 / nullif(b.rating_count, 0)` : sql`NULL::float8`} AS rank_rating,
             ${terms.length ? sql.join(terms.map(nameHit), sql` + `) : sql`0`} AS rank_hits,
             EXISTS (SELECT 1 FROM current_awards ca WHERE ca.business_id = b.id) AS rank_holder,
             b.code AS rank_code,
             count(*) OVER () AS total
        FROM businesses b ${filters.street || filters.grid || filters.microGrid ? placeJoins : sql``}
       WHERE ${directoryConditions(filters, now)}
       ORDER BY ${rankOrder}
       LIMIT ${filters.perPage} OFFSET ${offset}
    )
    SELECT coalesce(json_agg(r ORDER BY ${rankOrder}), '[]')::text AS page
      FROM (SELECT ${entryColumns(minute)}, p.total, p.rank_rating, p.rank_hits, p.rank_holder, p.rank_code
              FROM page p JOIN businesses b ON b.id = p.id ${placeJoins}) r`);
  const rows = JSON.parse(rowsOf<{ page: string }>(result)[0].page) as Row[];
  let total = rows.length ? Number(rows[0].total) : 0;
  if (!rows.length && offset > 0) {
    // Past the last page: still report how many matched.
    const counted = await db.execute(sql`WITH ${currentAwardsCte(now)}
      SELECT count(*) AS total FROM businesses b ${placeJoins} WHERE ${directoryConditions(filters, now)}`);
    total = Number(rowsOf<{ total: number | string }>(counted)[0]?.total ?? 0);
  }
  return {
    total,
    page: filters.page,
    perPage: filters.perPage,
    pages: Math.max(1, Math.ceil(total / filters.perPage)),
    items: rows.map(toEntry),
  };
}

/** One business as the directory lists it (also closed ones: the API and the shop page say so). */
export async function directoryEntry(db: Db, businessId: number, now = new Date()): Promise<DirectoryEntry | null> {
  const result = await db.execute(sql`
    WITH ${currentAwardsCte(now)}
    SELECT ${entryColumns(districtMinuteOfDay(now))}, 1 AS total
      FROM businesses b ${placeJoins}
     WHERE b.id = ${businessId}`);
  const row = rowsOf<Row>(result)[0];
  return row ? toEntry(row) : null;
}

/** Ids of all businesses matching the filters: the map marks them. */
export async function matchingBusinessIds(db: Db, filters: DirectoryFilters, now = new Date()): Promise<number[]> {
  const key = `ids:${await timeKey(db, filters, now)}:${JSON.stringify({ ...filters, page: 1, perPage: 1 })}`;
  return cachedDirectoryRead(db, key, () => queryMatchingIds(db, filters, now));
}

async function queryMatchingIds(db: Db, filters: DirectoryFilters, now: Date): Promise<number[]> {
  const result = await db.execute(sql`
    WITH ${currentAwardsCte(now)}
    SELECT b.id FROM businesses b ${placeJoins} WHERE ${directoryConditions(filters, now)}`);
  return rowsOf<{ id: number }>(result).map((r) => Number(r.id));
}

/** The choices of the filter form: categories, streets, grids and micro-grids, in their order. */
export function directoryOptions(db: Db) {
  return cachedDirectoryRead(db, "options", () => queryOptions(db));
}

async function queryOptions(db: Db) {
  const [categoryRows, streetRows, gridRows, microGridRows] = await Promise.all([
    db.execute(sql`SELECT code, name_zh, name_en FROM categories ORDER BY sort, code`),
    db.execute(sql`SELECT code, name_zh, name_en FROM streets ORDER BY sort, code`),
    db.execute(sql`SELECT code, name_zh, name_en FROM grids ORDER BY code`),
    db.execute(
      sql`SELECT mg.code, mg.name_zh, mg.name_en, g.code AS grid_code FROM micro_grids mg JOIN grids g ON g.id = mg.grid_id ORDER BY mg.code`,
    ),
  ]);
  type Option = { code: string; name_zh: string; name_en: string };
  const options = (result: unknown) =>
    rowsOf<Option>(result).map((o) => ({ code: o.code, nameZh: o.name_zh, nameEn: o.name_en }));
  return {
    categories: options(categoryRows),
    streets: options(streetRows),
    grids: options(gridRows),
    microGrids: rowsOf<Option & { grid_code: string }>(microGridRows).map((o) => ({
      code: o.code,
      nameZh: o.name_zh,
      nameEn: o.name_en,
      gridCode: o.grid_code,
    })),
  };
}

export interface Suggestions {
  names: string[];
  categories: { zh: string; en: string }[];
  streets: { zh: string; en: string }[];
}

/**
 * What a shopper may mean while typing: up to six open businesses whose name, pinyin, initials or
 * code match (through the same index as the search), and the categories and streets whose names
 * or pinyin start with or contain the text. Only the last word typed is completed.
 */
export function suggest(db: Db, q: string): Promise<Suggestions> {
  const terms = searchTerms(q);
  const last = terms.at(-1);
  if (!last) return Promise.resolve({ names: [], categories: [], streets: [] });
  return cachedDirectoryRead(db, `suggest:${terms.join(" ")}`, async () => {
    const like = `%${escapeLike(last)}%`;
    const named = (table: SQL) => sql`
      SELECT name_zh AS zh, name_en AS en FROM ${table}
       WHERE name_zh ILIKE ${like} OR lower(name_en) LIKE ${like}
          OR xq_pinyin(name_zh, false) LIKE ${like} OR xq_pinyin(name_zh, true) LIKE ${like}
       ORDER BY name_zh LIMIT 4`;
    const [names, categories, streets] = await Promise.all([
      db.execute(sql`
        SELECT b.name FROM businesses b
         WHERE b.status = 'open' AND ${sql.join(terms.map(termCondition), sql` AND `)}
         ORDER BY (b.name ILIKE ${like} OR b.name_pinyin LIKE ${like} OR lower(b.code) = ${last}) DESC, b.code
         LIMIT 6`),
      db.execute(named(sql`categories`)),
      db.execute(named(sql`streets`)),
    ]);
    return {
      names: [...new Set(rowsOf<{ name: string }>(names).map((r) => r.name))],
      categories: rowsOf<{ zh: string; en: string }>(categories),
      streets: rowsOf<{ zh: string; en: string }>(streets),
    };
  });
}
