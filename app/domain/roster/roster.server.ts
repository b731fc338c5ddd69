import { and, asc, desc, eq, inArray, isNull, lt, ne, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { businesses, categories, microGrids, rosterImports, stalls, storefronts, streets } from "../../../db/schema";
import type { BusinessKind } from "../../../db/schema/enums";
import { normalizePhoneInput } from "../../lib/phone";
import type { Actor } from "../accounts/actor";
import { assertCan } from "../accounts/permissions";
import { recordAudit } from "../audit.server";
import { phoneOrLandline } from "../directory/schemas";
import { formatMinute } from "../directory/hours";
import { DomainError, foundOr404, notFound } from "../errors";
import { emptyRow, rosterColumns, type RosterColumn, type RosterRow } from "./columns";
import { readRoster, type FileRow } from "./read.server";
import { metaValue, setMetaValue } from "../../../db/meta";
import { columnsOf } from "../../../db/select";

/** What a row sets on a business: exactly the columns the roster carries. */
export interface BusinessValues {
  kind: BusinessKind;
  name: string;
  categoryCode: string;
  storefrontId: number | null;
  stallId: number | null;
  ownerName: string;
  phone: string | null;
  dayOpensAt: number | null;
  dayClosesAt: number | null;
  nightOpensAt: number | null;
  nightClosesAt: number | null;
}

export interface Reason {
  key: string;
  params?: Record<string, string | number>;
}

export type PlannedRow = { line: number; name: string; code: string; place: string } & (
  | { action: "create"; values: BusinessValues }
  | { action: "update"; businessId: number; changes: RosterColumn[]; values: BusinessValues }
  | { action: "unchanged"; businessId: number }
  | { action: "refused"; reasons: Reason[] }
  | { action: "ignored"; reasons: Reason[] }
);

export type PlanCounts = Record<PlannedRow["action"], number>;

const valueKeys = [
  "kind",
  "name",
  "categoryCode",
  "storefrontId",
  "stallId",
  "ownerName",
  "phone",
  "dayOpensAt",
  "dayClosesAt",
  "nightOpensAt",
  "nightClosesAt",
] as const satisfies readonly (keyof BusinessValues)[];

/** Which roster column shows each value, for the "what changes" list of an update. */
const columnOfValue: Record<keyof BusinessValues, RosterColumn> = {
  kind: "kind",
  name: "name",
  categoryCode: "category",
  storefrontId: "number",
  stallId: "stall",
  ownerName: "ownerName",
  phone: "phone",
  dayOpensAt: "hours",
  dayClosesAt: "hours",
  nightOpensAt: "hours",
  nightClosesAt: "hours",
};

// ---------------------------------------------------------------------------------------------
// Normalising cells: only what is safe. Names keep their characters (full-width brackets stay),
// codes, numbers, phones and times are folded to ASCII (NFKC turns "１２" into "12", "：" into ":").

const squash = (s: string) => s.replace(/[\s\u3000]+/g, " ").trim();
const ascii = (s: string) =>
  s
    .normalize("NFKC")
    .replace(/[\s\u3000]+/g, "")
    .trim();

export function normaliseRow(cells: RosterRow): RosterRow {
  const row = emptyRow();
  row.name = squash(cells.name);
  row.kind = ascii(cells.kind).toLowerCase();
  row.category = squash(cells.category);
  row.street = squash(cells.street);
  row.number = ascii(cells.number).replace(/号$/, "");
  row.stall = ascii(cells.stall).toUpperCase().replace(/号$/, "");
  row.microGrid = ascii(cells.microGrid).toUpperCase();
  row.ownerName = squash(cells.ownerName);
  row.phone = normalizePhoneInput(cells.phone.normalize("NFKC").trim());
  row.hours = squash(cells.hours.normalize("NFKC"));
  row.night = ascii(cells.night).toLowerCase();
  row.code = ascii(cells.code).toUpperCase();
  return row;
}

const kindWords: Record<string, BusinessKind> = {
  门店: "shop",
  店铺: "shop",
  shop: "shop",
  摊位: "stall",
  stall: "stall",
};
const yes = new Set(["是", "yes", "y", "true", "1", "有"]);
const no = new Set(["否", "no", "n", "false", "0", "无", ""]);

/** "08:00-21:00", "10:00-14:00, 17:00-次日01:00": one or two windows, in minutes. */
export function parseHours(text: string): [number, number][] | null {
  if (text === "") return [];
  const windows: [number, number][] = [];
  for (const part of text
    .split(/[,;，；、/]|\s+(?=\d)/)
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^(\d{1,2}):(\d{2})\s*(?:-|–|—|~|～|至|到)\s*(?:次日)?\s*(\d{1,2}):(\d{2})$/.exec(part);
    if (!m) return null;
    const [h1, m1, h2, m2] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
    if (h1 > 23 || h2 > 24 || m1 > 59 || m2 > 59 || (h2 === 24 && m2 !== 0)) return null;
    windows.push([h1 * 60 + m1, (h2 % 24) * 60 + m2]);
  }
  return windows;
}

export function formatHours(
  v: Pick<BusinessValues, "dayOpensAt" | "dayClosesAt" | "nightOpensAt" | "nightClosesAt">,
): string {
  const windows: string[] = [];
  if (v.dayOpensAt !== null && v.dayClosesAt !== null)
    windows.push(`${formatMinute(v.dayOpensAt)}-${formatMinute(v.dayClosesAt)}`);
  if (v.nightOpensAt !== null && v.nightClosesAt !== null)
    windows.push(`${formatMinute(v.nightOpensAt)}-${formatMinute(v.nightClosesAt)}`);
  return windows.join(", ");
}

// ---------------------------------------------------------------------------------------------
// The district as the planner needs it.

async function loadDistrict(db: Db) {
  const [streetRows, microGridRows, categoryRows, storefrontRows, stallRows, businessRows] = await Promise.all([
    db.select().from(streets),
    db.select({ id: microGrids.id, code: microGrids.code }).from(microGrids),
    db.select().from(categories),
    db.select(columnsOf(storefronts, "id", "streetId", "number", "microGridId")).from(storefronts),
    db.select(columnsOf(stalls, "id", "market", "number", "streetId", "microGridId")).from(stalls),
    db
      .select({
        id: businesses.id,
        code: businesses.code,
        status: businesses.status,
        ...Object.fromEntries(valueKeys.map((k) => [k, businesses[k]])),
      } as {
        id: typeof businesses.id;
        code: typeof businesses.code;
        status: typeof businesses.status;
      } & { [K in (typeof valueKeys)[number]]: (typeof businesses)[K] })
      .from(businesses),
  ]);
  const key = (s: string) => s.normalize("NFKC").trim().toLowerCase();
  const streetByName = new Map<string, (typeof streetRows)[number]>();
  for (const s of streetRows) for (const n of [s.code, s.nameZh, s.nameEn]) streetByName.set(key(n), s);
  const categoryByName = new Map<string, string>();
  for (const c of categoryRows) for (const n of [c.code, c.nameZh, c.nameEn]) categoryByName.set(key(n), c.code);
  return {
    streetById: new Map(streetRows.map((s) => [s.id, s])),
    street: (name: string) => streetByName.get(key(name)),
    category: (name: string) => categoryByName.get(key(name)),
    categoryById: new Map(categoryRows.map((c) => [c.code, c])),
    microGridByCode: new Map(microGridRows.map((m) => [m.code, m])),
    microGridById: new Map(microGridRows.map((m) => [m.id, m])),
    storefront: new Map(storefrontRows.map((s) => [`${s.streetId}:${s.number.toUpperCase()}`, s])),
    storefrontById: new Map(storefrontRows.map((s) => [s.id, s])),
    stall: new Map(stallRows.map((s) => [s.number.toUpperCase(), s])),
    stallById: new Map(stallRows.map((s) => [s.id, s])),
    businessByCode: new Map(businessRows.map((b) => [b.code, b as typeof b & BusinessValues])),
    openBusinesses: businessRows.filter((b) => b.status === "open") as (BusinessValues & {
      id: number;
      code: string;
    })[],
  };
}
type District = Awaited<ReturnType<typeof loadDistrict>>;

const placeKey = (v: Pick<BusinessValues, "storefrontId" | "stallId">) =>
  v.storefrontId ? `sf:${v.storefrontId}` : `st:${v.stallId}`;

function placeLabel(district: District, v: Pick<BusinessValues, "storefrontId" | "stallId">): string {
  if (v.storefrontId) {
    const sf = district.storefrontById.get(v.storefrontId);
    return sf ? `${district.streetById.get(sf.streetId)?.nameZh ?? ""} ${sf.number}` : "";
  }
  const st = v.stallId ? district.stallById.get(v.stallId) : undefined;
  return st ? st.number : "";
}

/** One row's values, or the reasons it cannot be used. */
function rowValues(
  district: District,
  row: RosterRow,
): { values: BusinessValues; reasons: [] } | { values: null; reasons: Reason[] } {
  const reasons: Reason[] = [];
  if (!row.name) reasons.push({ key: "nameMissing" });
  else if (row.name.length > 100) reasons.push({ key: "nameTooLong" });
  if (row.ownerName.length > 50) reasons.push({ key: "ownerTooLong" });
  const kind = kindWords[row.kind];
  if (!kind) reasons.push({ key: "kindInvalid", params: { value: row.kind } });
  const categoryCode = district.category(row.category);
  if (!categoryCode)
    reasons.push({ key: row.category ? "categoryUnknown" : "categoryMissing", params: { value: row.category } });
  const street = row.street ? district.street(row.street) : undefined;
  if (row.street && !street) reasons.push({ key: "streetUnknown", params: { value: row.street } });
  const microGrid = row.microGrid ? district.microGridByCode.get(row.microGrid) : undefined;
  if (row.microGrid && !microGrid) reasons.push({ key: "microGridUnknown", params: { value: row.microGrid } });
  let storefrontId: number | null = null;
  let stallId: number | null = null;
  let placeMicroGrid: number | undefined;
  if (kind === "shop") {
    if (!row.street || !row.number) reasons.push({ key: "shopPlaceMissing" });
    else if (street) {
      const sf = district.storefront.get(`${street.id}:${row.number.toUpperCase()}`);
      if (!sf) reasons.push({ key: "storefrontUnknown", params: { street: street.nameZh, number: row.number } });
      else {
        storefrontId = sf.id;
        placeMicroGrid = sf.microGridId;
      }
    }
  } else if (kind === "stall") {
    if (!row.stall) reasons.push({ key: "stallMissing" });
    else {
      const st = district.stall.get(row.stall);
      if (!st) reasons.push({ key: "stallUnknown", params: { value: row.stall } });
      else {
        stallId = st.id;
        placeMicroGrid = st.microGridId;
        if (street && street.id !== st.streetId) {
          reasons.push({
            key: "streetMismatch",
            params: { stall: st.number, street: district.streetById.get(st.streetId)?.nameZh ?? "" },
          });
        }
      }
    }
  }
  if (microGrid && placeMicroGrid !== undefined && microGrid.id !== placeMicroGrid) {
    reasons.push({
      key: "microGridMismatch",
      params: { value: microGrid.code, expected: district.microGridById.get(placeMicroGrid)?.code ?? "" },
    });
  }
  // "1.38E+10": a CSV saved from Excel after the phone column was shown in scientific notation.
  if (row.phone && /^\d(\.\d+)?e\+?\d+$/i.test(row.phone))
    reasons.push({ key: "phoneRounded", params: { value: row.phone } });
  else if (row.phone && !phoneOrLandline.test(row.phone))
    reasons.push({ key: "phoneInvalid", params: { value: row.phone } });
  const windows = parseHours(row.hours);
  const night = yes.has(row.night) ? true : no.has(row.night) ? false : undefined;
  if (night === undefined) reasons.push({ key: "nightInvalid", params: { value: row.night } });
  if (windows === null) reasons.push({ key: "hoursInvalid", params: { value: row.hours } });
  else if (windows.length > 2 || (windows.length === 2 && night === false))
    reasons.push({ key: "hoursTooMany", params: { value: row.hours } });
  if (reasons.length > 0 || !windows || !kind || !categoryCode) return { values: null, reasons };
  const [first, second] = windows;
  const dayWindow = night ? (windows.length === 2 ? first : undefined) : first;
  const nightWindow = night ? (windows.length === 2 ? second : first) : undefined;
  return {
    values: {
      kind,
      name: row.name,
      categoryCode,
      storefrontId,
      stallId,
      ownerName: row.ownerName,
      phone: row.phone || null,
      dayOpensAt: dayWindow?.[0] ?? null,
      dayClosesAt: dayWindow?.[1] ?? null,
      nightOpensAt: nightWindow?.[0] ?? null,
      nightClosesAt: nightWindow?.[1] ?? null,
    },
    reasons: [],
  };
}

const sameName = (a: string, b: string) =>
  a.normalize("NFKC").replace(/\s+/g, "").toLowerCase() === b.normalize("NFKC").replace(/\s+/g, "").toLowerCase();

/**
 * What importing these rows would do, row by row, against the database as it is now. Nothing is
 * written. A row with a known code updates that business; one without a code that has the name
 * and the place of an open business is a likely duplicate and refused; two rows may not claim the
 * same place, nor may a row take a place an open business keeps.
 */
export async function planRoster(db: Db, rows: FileRow[]): Promise<PlannedRow[]> {
  const district = await loadDistrict(db);
  const nextNumber = { shop: 0, stall: 0 };
  for (const code of district.businessByCode.keys()) {
    const m = /^([ST])(\d+)$/.exec(code);
    if (m) {
      const kind = m[1] === "S" ? "shop" : "stall";
      nextNumber[kind] = Math.max(nextNumber[kind], Number(m[2]));
    }
  }
  const openAt = new Map<string, District["openBusinesses"]>();
  for (const b of district.openBusinesses) openAt.set(placeKey(b), [...(openAt.get(placeKey(b)) ?? []), b]);
  const seenContent = new Map<string, number>();
  const seenCode = new Map<string, number>();
  const plan: PlannedRow[] = [];
  for (const { line, cells, problems } of rows) {
    const row = normaliseRow(cells);
    const base = {
      line,
      name: row.name,
      code: row.code,
      place: row.kind === "摊位" || row.kind === "stall" ? row.stall : `${row.street} ${row.number}`.trim(),
    };
    // A cell the file could not give us as typed stops the row: its other reasons would mislead.
    const checked: ReturnType<typeof rowValues> =
      problems && problems.length > 0
        ? { values: null, reasons: problems.map((p) => ({ key: p.key, params: p.params })) }
        : rowValues(district, row);
    // The same business written twice (perhaps "08:00" once and "８:00" the other time) counts once.
    const content = JSON.stringify(checked.values ? { code: row.code, values: checked.values } : row);
    const earlier = seenContent.get(content);
    if (earlier !== undefined) {
      plan.push({ ...base, action: "ignored", reasons: [{ key: "duplicateRow", params: { line: earlier } }] });
      continue;
    }
    seenContent.set(content, line);
    const values = checked.values;
    const reasons: Reason[] = [...checked.reasons];
    const existing = row.code ? district.businessByCode.get(row.code) : undefined;
    if (row.code) {
      if (!existing) reasons.push({ key: "codeUnknown", params: { value: row.code } });
      else if (existing.status !== "open") reasons.push({ key: "codeClosed", params: { value: row.code } });
      else if (values && existing.kind !== values.kind) reasons.push({ key: "kindChange" });
      const codeLine = seenCode.get(row.code);
      if (codeLine !== undefined) reasons.push({ key: "codeTwice", params: { line: codeLine } });
      seenCode.set(row.code, line);
    }
    if (!values || reasons.length > 0) {
      plan.push({ ...base, action: "refused", reasons });
      continue;
    }
    const place = placeLabel(district, values);
    if (existing) {
      const changes = [...new Set(valueKeys.filter((k) => existing[k] !== values[k]).map((k) => columnOfValue[k]))];
      plan.push(
        changes.length === 0
          ? { ...base, place, action: "unchanged", businessId: existing.id }
          : { ...base, place, action: "update", businessId: existing.id, changes, values },
      );
      continue;
    }
    const duplicate = openAt.get(placeKey(values))?.find((b) => sameName(b.name, values.name));
    if (duplicate) {
      plan.push({
        ...base,
        place,
        action: "refused",
        reasons: [{ key: "likelyDuplicate", params: { code: duplicate.code } }],
      });
      continue;
    }
    // The code is given below, once the row is sure to be created.
    plan.push({ ...base, place, action: "create", values });
  }
  // Places: where each open business will be once the plan is applied.
  const movingAway = new Set(plan.flatMap((p) => (p.action === "update" ? [p.businessId] : [])));
  const occupant = new Map<string, { code: string; name: string }>();
  for (const b of district.openBusinesses) if (!movingAway.has(b.id)) occupant.set(placeKey(b), b);
  const claimedBy = new Map<string, number>();
  const placed = plan.map((p): PlannedRow => {
    if (p.action !== "create" && p.action !== "update") return p;
    const key = placeKey(p.values);
    const keeper = occupant.get(key);
    const earlierLine = claimedBy.get(key);
    const refused = (reason: Reason): PlannedRow => ({
      line: p.line,
      name: p.name,
      code: p.code,
      place: p.place,
      action: "refused",
      reasons: [reason],
    });
    if (earlierLine !== undefined) return refused({ key: "placeTwice", params: { line: earlierLine } });
    claimedBy.set(key, p.line);
    if (keeper && keeper.code !== p.code)
      return refused({ key: "placeTaken", params: { code: keeper.code, name: keeper.name } });
    return p;
  });
  // New codes continue the sequences, for the rows that will be created only.
  return placed.map((p) => {
    if (p.action !== "create") return p;
    nextNumber[p.values.kind] += 1;
    return {
      ...p,
      code: `${p.values.kind === "shop" ? "S" : "T"}${String(nextNumber[p.values.kind]).padStart(4, "0")}`,
    };
  });
}

export function countPlan(plan: PlannedRow[]): PlanCounts {
  const counts: PlanCounts = { create: 0, update: 0, unchanged: 0, refused: 0, ignored: 0 };
  for (const p of plan) counts[p.action] += 1;
  return counts;
}

// ---------------------------------------------------------------------------------------------
// Import: dry run, then confirm or discard.

/** Reads and plans a file; stores the dry run (nothing else is written) and returns its id. */
export async function startRosterImport(db: Db, actor: Actor, fileName: string, bytes: Uint8Array) {
  assertCan(actor, { action: "roster.manage" });
  const { rows, notes } = await readRoster(bytes);
  const normalised = rows.map((r) => ({ ...r, cells: normaliseRow(r.cells) }));
  const plan = await planRoster(db, normalised);
  const [created] = await db
    .insert(rosterImports)
    .values({
      createdBy: actor.userId,
      fileName: fileName.slice(0, 200),
      rows: normalised,
      plan,
      counts: countPlan(plan),
      notes,
    })
    .returning({ id: rosterImports.id });
  return created.id;
}

export async function rosterImport(db: Db, actor: Actor, importId: number) {
  assertCan(actor, { action: "roster.manage" });
  const row = await foundOr404(db.select().from(rosterImports).where(eq(rosterImports.id, importId)));
  return { ...row, plan: row.plan as PlannedRow[], counts: row.counts as PlanCounts };
}

/** The cells a new or updated row will store, as the roster writes them (what the dry run shows). */
export type StoredCell = { column: RosterColumn; value: string };

/**
 * A dry run for its page: each create row with the values that will be stored (category, owner,
 * phone, hours, night market), each update row with the new value of every column it changes.
 */
export async function rosterImportView(db: Db, actor: Actor, importId: number, locale: "zh-CN" | "en") {
  const stored = await rosterImport(db, actor, importId);
  const categoryRows = await db.select().from(categories);
  const categoryName = new Map(categoryRows.map((c) => [c.code, locale === "en" ? c.nameEn : c.nameZh]));
  const cells = (v: BusinessValues, place: string): Record<RosterColumn, string> => ({
    ...emptyRow(),
    name: v.name,
    category: categoryName.get(v.categoryCode) ?? v.categoryCode,
    number: place,
    stall: place,
    ownerName: v.ownerName,
    phone: v.phone ?? "",
    hours: formatHours(v),
    night: v.nightOpensAt !== null ? "yes" : "no",
  });
  const shown: RosterColumn[] = ["category", "ownerName", "phone", "hours", "night"];
  return {
    ...stored,
    plan: stored.plan.map((p) => {
      if (p.action === "create") {
        const c = cells(p.values, p.place);
        return { ...p, stored: shown.map((column): StoredCell => ({ column, value: c[column] })) };
      }
      if (p.action === "update") {
        const c = cells(p.values, p.place);
        return { ...p, stored: p.changes.map((column): StoredCell => ({ column, value: c[column] })) };
      }
      return { ...p, stored: [] as StoredCell[] };
    }),
  };
}

/**
 * Applies a dry run in one transaction: plans the same rows again against the database as it is
 * now and refuses the whole import if the plan differs from the one staff read, or if any row is
 * refused. Audited with its counts.
 */
export async function confirmRosterImport(db: Db, actor: Actor, importId: number) {
  assertCan(actor, { action: "roster.manage" });
  return db.transaction(async (tx) => {
    const stored = await foundOr404(
      tx.select().from(rosterImports).where(eq(rosterImports.id, importId)).for("update"),
    );
    if (stored.status !== "pending") throw new DomainError("roster.errors.notPending", 409);
    // One roster change at a time: new codes continue the sequences.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('xinquan.roster'))`);
    const plan = await planRoster(tx, stored.rows as FileRow[]);
    if (canonical(plan) !== canonical(stored.plan)) throw new DomainError("roster.errors.stale", 409);
    const counts = countPlan(plan);
    if (counts.refused > 0) throw new DomainError("roster.errors.hasRefused", 409);
    const now = new Date();
    for (const p of plan) {
      if (p.action === "create") {
        await tx
          .insert(businesses)
          .values({ ...p.values, code: p.code, phonePublic: false, createdAt: now, updatedAt: now });
      } else if (p.action === "update") {
        await tx
          .update(businesses)
          .set({ ...p.values, updatedAt: now })
          .where(eq(businesses.id, p.businessId));
      }
    }
    await tx.update(rosterImports).set({ status: "applied", decidedAt: now }).where(eq(rosterImports.id, importId));
    await recordAudit(tx, actor, "roster.imported", importId, {
      after: {
        fileName: stored.fileName,
        counts,
        created: plan.filter((p) => p.action === "create").map((p) => p.code),
        updated: plan.filter((p) => p.action === "update").map((p) => p.code),
      },
    });
    return counts;
  });
}

/** JSON with object keys sorted: jsonb does not keep the order they were written in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/** Drops a dry run: nothing was written, and the audit log says who dropped which file. */
export async function discardRosterImport(db: Db, actor: Actor, importId: number, now = new Date()) {
  assertCan(actor, { action: "roster.manage" });
  await db.transaction(async (tx) => {
    const stored = await foundOr404(
      tx
        .select(columnsOf(rosterImports, "status", "fileName", "counts"))
        .from(rosterImports)
        .where(eq(rosterImports.id, importId))
        .for("update"),
    );
    if (stored.status !== "pending") throw new DomainError("roster.errors.notPending", 409);
    await tx.update(rosterImports).set({ status: "discarded", decidedAt: now }).where(eq(rosterImports.id, importId));
    await recordAudit(tx, actor, "roster.discarded", importId, {
      after: { fileName: stored.fileName, counts: stored.counts },
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Retention: an uploaded file's rows (names, phones) are kept N days, then deleted.

const RETENTION_KEY = "roster.retention_days";
export const defaultRetentionDays = 30;
export const maxRetentionDays = 365;

/** How many days an uploaded roster file's rows are kept (administrators set it; default 30). */
export async function rosterRetentionDays(db: Db): Promise<number> {
  const days = Number((await metaValue(db, RETENTION_KEY)) ?? defaultRetentionDays);
  return Number.isSafeInteger(days) && days >= 1 && days <= maxRetentionDays ? days : defaultRetentionDays;
}

export async function setRosterRetentionDays(db: Db, actor: Actor, days: number) {
  assertCan(actor, { action: "roster.manage" });
  if (!Number.isSafeInteger(days) || days < 1 || days > maxRetentionDays)
    throw new DomainError("roster.errors.retentionInvalid", 400, "days", { max: maxRetentionDays });
  await db.transaction(async (tx) => {
    const before = await rosterRetentionDays(tx);
    await setMetaValue(tx, RETENTION_KEY, String(days));
    await recordAudit(tx, actor, "roster.retention_set", "roster_retention", {
      before: { days: before },
      after: { days },
    });
  });
}

/**
 * The background job: deletes the rows and the plan of every upload older than the retention
 * period (a dry run still pending then is discarded with it). The file name, counts and dates
 * stay, so the list of imports and the audit log still read; one audit line per run names them.
 */
export async function purgeRosterUploads(db: Db, now: Date): Promise<number> {
  const days = await rosterRetentionDays(db);
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: rosterImports.id, status: rosterImports.status })
      .from(rosterImports)
      .where(and(isNull(rosterImports.purgedAt), lt(rosterImports.createdAt, cutoff)))
      .for("update", { skipLocked: true });
    if (due.length === 0) return 0;
    const ids = due.map((d) => d.id);
    await tx
      .update(rosterImports)
      .set({ rows: [], plan: [], notes: [], purgedAt: now })
      .where(inArray(rosterImports.id, ids));
    await tx
      .update(rosterImports)
      .set({ status: "discarded", decidedAt: now })
      .where(and(inArray(rosterImports.id, ids), eq(rosterImports.status, "pending")));
    await recordAudit(tx, null, "roster.uploads_purged", ids.join(","), { after: { ids, retentionDays: days } });
    return ids.length;
  });
}

export async function recentRosterImports(db: Db, actor: Actor) {
  assertCan(actor, { action: "roster.manage" });
  return db
    .select(columnsOf(rosterImports, "id", "fileName", "status", "counts", "createdAt", "purgedAt"))
    .from(rosterImports)
    .orderBy(desc(rosterImports.id))
    .limit(10);
}

// ---------------------------------------------------------------------------------------------
// Export: the open businesses, one row each, in the columns the import reads.

export type HeaderLanguage = "zh" | "en";

export async function rosterRows(db: Db, actor: Actor, language: HeaderLanguage = "zh"): Promise<string[][]> {
  assertCan(actor, { action: "roster.manage" });
  const district = await loadDistrict(db);
  const rows = district.openBusinesses.slice().sort((a, b) => (a.code < b.code ? -1 : 1));
  const header = rosterColumns.map((c) => c[language]);
  return [
    header,
    ...rows.map((b) => {
      const sf = b.storefrontId ? district.storefrontById.get(b.storefrontId) : undefined;
      const st = b.stallId ? district.stallById.get(b.stallId) : undefined;
      const place = sf ?? st;
      const street = place ? district.streetById.get(place.streetId) : undefined;
      const category = district.categoryById.get(b.categoryCode);
      const row: RosterRow = {
        name: b.name,
        kind: language === "zh" ? (b.kind === "shop" ? "门店" : "摊位") : b.kind,
        category: (language === "zh" ? category?.nameZh : category?.nameEn) ?? b.categoryCode,
        street: (language === "zh" ? street?.nameZh : street?.nameEn) ?? "",
        number: sf?.number ?? "",
        stall: st?.number ?? "",
        microGrid: place ? (district.microGridById.get(place.microGridId)?.code ?? "") : "",
        ownerName: b.ownerName,
        phone: b.phone ?? "",
        hours: formatHours(b),
        night: b.nightOpensAt !== null ? (language === "zh" ? "是" : "yes") : language === "zh" ? "否" : "no",
        code: b.code,
      };
      return rosterColumns.map((c) => row[c.key]);
    }),
  ];
}

/**
 * A cell that starts with = + - @ (or a tab or carriage return) is a formula to Excel and WPS:
 * `=HYPERLINK(...)` typed into a shop's description would run on the desk of whoever opens the
 * export. Such cells get a leading apostrophe (OWASP's advice), which the import takes off again.
 */
const formulaStart = /^[=+\-@\t\r]/;
const csvCell = (raw: string) => {
  const v = formulaStart.test(raw) ? `'${raw}` : raw;
  return /[",\r\n]/.test(v) || /^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
};

/** UTF-8 with a BOM, so that Excel opens the Chinese correctly. */
export function rosterCsv(rows: string[][]): string {
  return `\uFEFF${rows.map((r) => r.map(csvCell).join(",")).join("\r\n")}\r\n`;
}

/** Every cell is written as text, so phones and numbers like "01" keep their digits. */
export async function rosterXlsx(rows: string[][]): Promise<Uint8Array<ArrayBuffer>> {
  const { default: ExcelJS } = await import("exceljs");
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("roster");
  sheet.columns = rows[0].map(() => ({ width: 16, style: { numFmt: "@" } }));
  for (const r of rows) sheet.addRow(r);
  sheet.getRow(1).font = { bold: true };
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

// ---------------------------------------------------------------------------------------------
// One business by hand: add, edit (which is how staff move it), close.

/** The roster row of one business, for the edit form. */
export async function businessRosterRow(db: Db, actor: Actor, businessId: number) {
  assertCan(actor, { action: "roster.manage" });
  const b = await foundOr404(
    db
      .select(columnsOf(businesses, "code", "status", "closedAt"))
      .from(businesses)
      .where(eq(businesses.id, businessId)),
  );
  const [header, ...rows] = await rosterRows(db, actor, "zh");
  const found = rows.find((r) => r[header.indexOf("编号")] === b.code);
  const row = emptyRow();
  if (found) rosterColumns.forEach((c, i) => (row[c.key] = found[i]!));
  return { code: b.code, status: b.status, closedAt: b.closedAt, row };
}

/** Plans one row like an import line and applies it if it is a create or an update. */
async function applyOneRow(
  db: Db,
  actor: { userId: string },
  row: RosterRow,
  expect: "create" | "update",
  businessId?: number,
) {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('xinquan.roster'))`);
    const p = await foundOr404(planRoster(tx, [{ line: 1, cells: row }]));
    if (p.action === "refused") {
      const reason = p.reasons[0];
      throw new DomainError(`roster.reasons.${reason.key}`, 400, undefined, reason.params ?? {});
    }
    if (p.action === "ignored") throw notFound();
    if (expect === "update" && (p.action === "create" || p.businessId !== businessId)) throw notFound();
    const now = new Date();
    if (p.action === "create") {
      const [created] = await tx
        .insert(businesses)
        .values({ ...p.values, code: p.code, createdAt: now, updatedAt: now })
        .returning({ id: businesses.id });
      await recordAudit(tx, actor, "business.added", created.id, { after: { code: p.code, ...p.values } });
      return { id: created.id, code: p.code, changed: true };
    }
    if (p.action === "update") {
      const [before] = await tx.select().from(businesses).where(eq(businesses.id, p.businessId)).for("update");
      await tx
        .update(businesses)
        .set({ ...p.values, updatedAt: now })
        .where(eq(businesses.id, p.businessId));
      const moved = p.changes.includes("number") || p.changes.includes("stall");
      await recordAudit(tx, actor, moved ? "business.moved" : "business.roster_updated", p.businessId, {
        before: Object.fromEntries(valueKeys.map((k) => [k, before[k]])),
        after: p.values,
      });
      return { id: p.businessId, code: p.code, changed: true };
    }
    return { id: p.businessId, code: p.code, changed: false };
  });
}

export async function addBusiness(db: Db, actor: Actor, row: RosterRow) {
  assertCan(actor, { action: "roster.manage" });
  return applyOneRow(db, actor, { ...row, code: "" }, "create");
}

/** Edits a business's roster columns; a new street and number (or stall) moves it there. */
export async function editBusiness(db: Db, actor: Actor, businessId: number, row: RosterRow) {
  assertCan(actor, { action: "roster.manage" });
  const b = await foundOr404(
    db
      .select({ code: businesses.code, status: businesses.status })
      .from(businesses)
      .where(eq(businesses.id, businessId)),
  );
  if (b.status !== "open") throw new DomainError("roster.errors.closed", 409);
  // The micro-grid follows the place. The form shows the current one; when the place changes, that
  // value is the old place's and says nothing about the new one, so it is left out of the check.
  const current = await businessRosterRow(db, actor, businessId);
  const moved =
    normaliseRow(row).street !== normaliseRow(current.row).street ||
    normaliseRow(row).number !== normaliseRow(current.row).number ||
    normaliseRow(row).stall !== normaliseRow(current.row).stall;
  const microGrid = moved && normaliseRow(row).microGrid === normaliseRow(current.row).microGrid ? "" : row.microGrid;
  return applyOneRow(db, actor, { ...row, microGrid, code: b.code }, "update", businessId);
}

/**
 * Archives a business: it leaves the directory and the map, its storefront or stall shows as
 * vacant; its row, plaques, members and everything pointing at it stay.
 */
export async function closeBusiness(db: Db, actor: Actor, businessId: number, now = new Date()) {
  assertCan(actor, { action: "roster.manage" });
  await db.transaction(async (tx) => {
    const b = await foundOr404(
      tx
        .select({ status: businesses.status, code: businesses.code })
        .from(businesses)
        .where(eq(businesses.id, businessId))
        .for("update"),
    );
    if (b.status === "closed") throw new DomainError("roster.errors.closed", 409);
    await tx
      .update(businesses)
      .set({ status: "closed", closedAt: now, updatedAt: now })
      .where(eq(businesses.id, businessId));
    await recordAudit(tx, actor, "business.closed", businessId, {
      before: { status: "open" },
      after: { status: "closed", code: b.code },
    });
  });
}

/**
 * Reopens a closed business where it was, under its code, with its plaques, members and history
 * as they were (closing never touched them). Refused while another open business keeps its
 * storefront or stall: move that one first. Audited.
 */
export async function reopenBusiness(db: Db, actor: Actor, businessId: number, now = new Date()) {
  assertCan(actor, { action: "roster.manage" });
  await db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('xinquan.roster'))`);
    const b = await foundOr404(
      tx
        .select(columnsOf(businesses, "status", "code", "closedAt", "storefrontId", "stallId"))
        .from(businesses)
        .where(eq(businesses.id, businessId))
        .for("update"),
    );
    if (b.status !== "closed") throw new DomainError("roster.errors.notClosed", 409);
    const place = b.storefrontId
      ? eq(businesses.storefrontId, b.storefrontId)
      : b.stallId
        ? eq(businesses.stallId, b.stallId)
        : undefined;
    if (place) {
      const [keeper] = await tx
        .select({ code: businesses.code, name: businesses.name })
        .from(businesses)
        .where(and(place, eq(businesses.status, "open"), ne(businesses.id, businessId)));
      if (keeper) throw new DomainError("roster.errors.reopenPlaceTaken", 409, undefined, keeper);
    }
    await tx
      .update(businesses)
      .set({ status: "open", closedAt: null, updatedAt: now })
      .where(eq(businesses.id, businessId));
    await recordAudit(tx, actor, "business.reopened", businessId, {
      before: { status: "closed", closedAt: b.closedAt },
      after: { status: "open", code: b.code },
    });
  });
}

/** Businesses for the roster page's list: open and closed, searchable by code or name. */
export async function findRosterBusinesses(db: Db, actor: Actor, q: string) {
  assertCan(actor, { action: "roster.manage" });
  const term = q.trim();
  if (!term) return [];
  return db
    .select(columnsOf(businesses, "id", "code", "name", "kind", "status"))
    .from(businesses)
    .where(
      sql`${businesses.code} ILIKE ${term + "%"} OR ${businesses.name} ILIKE ${"%" + term.replace(/[%_\\]/g, "\\$&") + "%"}`,
    )
    .orderBy(asc(businesses.code))
    .limit(30);
}

/** Choices for the add/edit form: values as the import reads them (Chinese names), labels in the reader's language. */
export async function rosterFormOptions(db: Db, actor: Actor, locale: "zh-CN" | "en") {
  assertCan(actor, { action: "roster.manage" });
  const [categoryRows, streetRows] = await Promise.all([
    db.select().from(categories).orderBy(asc(categories.sort)),
    db.select().from(streets).orderBy(asc(streets.sort), asc(streets.code)),
  ]);
  const label = (r: { nameZh: string; nameEn: string }) => (locale === "en" ? r.nameEn : r.nameZh);
  return {
    categories: categoryRows.map((c) => ({ value: c.nameZh, label: label(c) })),
    streets: streetRows.map((s) => ({ value: s.nameZh, label: label(s) })),
  };
}
