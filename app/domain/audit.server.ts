import { and, desc, eq, gte, ilike, inArray, like, lt, or, type SQL } from "drizzle-orm";
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Db } from "../../db/client";
import {
  allianceActivities,
  allianceAnnouncements,
  allianceComments,
  allianceElections,
  allianceProposals,
  auditLog,
  awards,
  bookings,
  businesses,
  chatMessages,
  chatPolls,
  disputes,
  feedback,
  orders,
  plaqueNominations,
  plaqueRounds,
  products,
  reviews,
  rosterImports,
  users,
} from "../../db/schema";
import { normalizePhoneInput, maskPhone } from "../lib/phone";
import { districtDayStart, nextDay } from "../lib/time";
import type { Actor, User } from "./accounts/actor";
import { assertCan } from "./accounts/permissions";
import {
  AUDIT_ACTIONS,
  AUDIT_SUBJECT_TYPES,
  AUDIT_SUBJECTS,
  auditActionsIn,
  isAuditAction,
  isAuditArea,
  type AuditAction,
  type AuditArea,
  type AuditSubjectOf,
  type AuditSubjectType,
} from "./audit-actions";
import { columnsOf } from "../../db/select";

export { AUDIT_AREAS, type AuditAction, type AuditArea } from "./audit-actions";

/** Who did it: the signed-in person (or their user id), or null for the system (a background job). */
export type AuditActor = Pick<User, "userId"> | string | null;

/**
 * What an action was done to: its id, or, for an action written about more than one kind of
 * subject (a reported post), the kind and the id.
 */
export type AuditSubject<Code extends AuditAction> =
  AuditSubjectOf<Code> extends readonly (infer Type)[] ? TypedSubject<Type> : string | number;
interface TypedSubject<Type> {
  type: Type;
  id: string | number;
}

/** What the subject was before the action and what it is after, as the sentence on /admin/audit reads them. */
export interface AuditChange {
  before?: unknown;
  after?: unknown;
}

/** The change that sets `after` on a row that was `before`: the same fields, as they were and as they are now. */
export function changeOf<T extends object>(before: { [K in keyof T]: unknown }, after: T): AuditChange {
  return { before: Object.fromEntries(Object.keys(after).map((k) => [k, before[k as keyof T]])), after };
}

/**
 * Writes one audit line; call it inside the same transaction as the change it records. The
 * subject's type comes from the action's entry in app/domain/audit-actions.ts.
 */
export async function recordAudit<Code extends AuditAction>(
  db: Db,
  actor: AuditActor,
  action: Code,
  subject: AuditSubject<Code>,
  { before, after }: AuditChange = {},
): Promise<void> {
  const kinds = AUDIT_SUBJECTS[action];
  const { type, id } =
    typeof kinds === "string"
      ? { type: kinds, id: subject as string | number }
      : (subject as TypedSubject<AuditSubjectType>);
  await db.insert(auditLog).values({
    actorId: actor === null || typeof actor === "string" ? actor : actor.userId,
    action,
    subjectType: type,
    subjectId: String(id),
    before: before ?? null,
    after: after ?? null,
  });
}

/** The audit log's filters, as /admin/audit reads them from its query string. */
export interface AuditFilter {
  area?: AuditArea;
  /** Part of the actor's name or mobile number. */
  person?: string;
  /** First and last day (YYYY-MM-DD, Asia/Shanghai), both included. */
  from?: string;
  to?: string;
  page: number;
}

const day = /^\d{4}-\d{2}-\d{2}$/;
const validDay = (value: string | null): string | undefined =>
  value && day.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ? value : undefined;

/** Reads the filters from a query string; anything malformed is left out rather than refused. */
export function auditFilterFrom(params: URLSearchParams): AuditFilter {
  const area = params.get("area") ?? "";
  const person = (params.get("person") ?? "").trim().slice(0, 40);
  const page = Number(params.get("page") ?? "1");
  return {
    area: isAuditArea(area) ? area : undefined,
    person: person || undefined,
    from: validDay(params.get("from")),
    to: validDay(params.get("to")),
    page: Number.isInteger(page) && page >= 1 && page <= 10_000 ? page : 1,
  };
}

/** Who did it: a name and a masked mobile number, or null for the system (a background job). */
export interface AuditPerson {
  name: string;
  phone: string;
}

/** What it was done to: a message under audit.targets with its values, and a page, when one exists. */
export interface AuditTarget {
  type: string;
  params: Record<string, string | number>;
  href: string | null;
}

export interface AuditLine {
  id: number;
  at: Date;
  action: string;
  area: AuditArea | null;
  /** The actor; null when the system did it, `deleted` when the account is gone. */
  actor: AuditPerson | null | "deleted";
  target: AuditTarget;
  /** Values the action's sentence names (role, days, rating, …). */
  details: Record<string, string | number>;
  reason: string | null;
}

export const AUDIT_PAGE_SIZE = 30;

const escapeLike = (term: string) => term.replace(/[\\%_]/g, (c) => `\\${c}`);

/** One page of the audit log, newest first, with each line's people and targets named. Administrators only. */
export async function auditLogPage(db: Db, actor: Actor, filter: AuditFilter, pageSize = AUDIT_PAGE_SIZE) {
  assertCan(actor, { action: "audit.read" });
  const where: SQL[] = [];
  if (filter.area) where.push(inArray(auditLog.action, auditActionsIn(filter.area)));
  if (filter.from) where.push(gte(auditLog.at, districtDayStart(filter.from)));
  if (filter.to) where.push(lt(auditLog.at, districtDayStart(nextDay(filter.to))));
  if (filter.person) {
    const digits = normalizePhoneInput(filter.person);
    const byName = ilike(users.displayName, `%${escapeLike(filter.person)}%`);
    where.push(/^\d{3,11}$/.test(digits) ? or(like(users.phone, `%${digits}%`), byName)! : byName);
  }
  const rows = await db
    .select({
      ...columnsOf(auditLog, "id", "action", "subjectType", "subjectId", "before", "after", "at", "actorId"),
      actorName: users.displayName,
      actorPhone: users.phone,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(pageSize + 1)
    .offset((filter.page - 1) * pageSize);
  const hasOlder = rows.length > pageSize;
  const page = rows.slice(0, pageSize);
  const targets = await resolveTargets(db, page);
  const lines: AuditLine[] = page.map((row) => ({
    id: row.id,
    at: row.at,
    action: row.action,
    area: isAuditAction(row.action) ? AUDIT_ACTIONS[row.action] : null,
    actor:
      row.actorId === null
        ? null
        : row.actorName === null
          ? "deleted"
          : { name: row.actorName, phone: maskPhone(row.actorPhone ?? "") },
    target: targets.get(row.id)!,
    details: detailsOf(row.action, row.before, row.after),
    reason: reasonOf(row.action, row.after),
  }));
  return { lines, page: filter.page, hasOlder };
}

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (value && typeof value === "object" ? (value as Json) : {});
const scalar = (value: unknown): string | number | undefined =>
  typeof value === "string" || typeof value === "number" ? value : undefined;

/** The values a sentence names, read from what the action wrote before and after. */
function detailsOf(action: string, before: unknown, after: unknown): Record<string, string | number> {
  const b = obj(before);
  const a = obj(after);
  const details: Record<string, string | number> = {};
  const put = (key: string, value: unknown) => {
    const v = scalar(value);
    if (v !== undefined) details[key] = v;
  };
  put("role", a.role ?? b.role);
  put("rating", a.rating);
  put("days", a.days);
  put("minutes", a.weeklyMinutes);
  put("seconds", a.seconds);
  if (typeof a.basisPoints === "number") details.percent = a.basisPoints / 100;
  if (action === "chat.slowMode" && a.seconds === 0) details.seconds = 0;
  return details;
}

/** A reason a person wrote, when the action kept one (not the codes the system writes). */
function reasonOf(action: string, after: unknown): string | null {
  if (action.startsWith("role.")) return null;
  const reason = obj(after).reason;
  return typeof reason === "string" && reason.trim() ? reason : null;
}

interface Subject {
  id: number;
  subjectType: string;
  subjectId: string;
}

const numeric = (ids: string[]) => ids.filter((id) => /^\d{1,9}$/.test(id)).map(Number);

/** Names each line's subject with one query per kind of subject on the page. */
async function resolveTargets(db: Db, rows: Subject[]): Promise<Map<number, AuditTarget>> {
  const idsOf = (...types: string[]) => [
    ...new Set(rows.filter((r) => types.includes(r.subjectType)).map((r) => r.subjectId)),
  ];
  const some = <T>(ids: unknown[], query: () => Promise<T[]>) => (ids.length ? query() : Promise.resolve([] as T[]));
  /** Rows by their id, and by `ref` too when given (a business's code, a booking's public id). */
  const byId = <T extends { id: number | string }>(list: T[], ref?: (row: T) => string) =>
    new Map(list.flatMap((r) => [[String(r.id), r] as const, ...(ref ? [[ref(r), r] as const] : [])]));
  /** What `query` reads for the lines' subjects of `type` with a numeric id (no query when there are none), by id. */
  const subjects = <T>(type: string, query: (ids: number[]) => Promise<T[]>) => {
    const ids = numeric(idsOf(type));
    // Every query below selects the subject's id (the generic helpers cannot show the type checker so).
    return some(ids, () => query(ids)).then((rows) => byId(rows as (T & { id: number })[]));
  };
  /** The `keys` columns of `table` (its id among them) for the lines' subjects of `type`. */
  const plain = <T extends PgTable & { id: AnyPgColumn }, K extends keyof T["_"]["columns"] & string>(
    type: string,
    table: T,
    ...keys: K[]
  ) =>
    subjects(type, (ids) =>
      db
        .select(columnsOf(table, ...keys))
        .from(table as PgTable)
        .where(inArray(table.id, ids)),
    );
  /** For subjects of `type` in `table`: their id and `fields`, with the name of the business they belong to. */
  const ofBusiness = <F extends Record<string, AnyPgColumn>>(
    type: string,
    table: typeof awards | typeof orders | typeof reviews,
    fields: F,
  ) =>
    subjects(type, (ids) =>
      db
        .select({ id: table.id, ...fields, name: businesses.name })
        .from(table as PgTable)
        .innerJoin(businesses, eq(businesses.id, table.businessId))
        .where(inArray(table.id, ids)),
    );
  /** For chat subjects of `type` in `table`: their id and `fields`, with the public id and title of their stream. */
  const ofStream = <F extends Record<string, AnyPgColumn>>(
    type: string,
    table: typeof chatMessages | typeof chatPolls,
    fields: F,
  ) =>
    subjects(type, (ids) =>
      db
        .select({ id: table.id, ...fields, publicId: bookings.publicId, title: bookings.title })
        .from(table as PgTable)
        .innerJoin(bookings, eq(bookings.id, table.bookingId))
        .where(inArray(table.id, ids)),
    );

  const userIds = idsOf("user");
  const businessRefs = idsOf("business");
  const bookingRefs = idsOf("booking");
  const [
    usersById,
    businessesByRef,
    activities,
    announcements,
    comments,
    elections,
    proposals,
    rounds,
    nominations,
    awardsById,
    bookingsByRef,
    messages,
    polls,
    feedbackById,
    disputesById,
    ordersById,
    productsById,
    reviewsById,
    imports,
  ] = await Promise.all([
    some(userIds, () =>
      db
        .select({ id: users.id, name: users.displayName, phone: users.phone })
        .from(users)
        .where(inArray(users.id, userIds)),
    ).then((rows) => byId(rows)),
    some(businessRefs, () =>
      db
        .select(columnsOf(businesses, "id", "code", "name"))
        .from(businesses)
        .where(or(inArray(businesses.id, numeric(businessRefs).concat(-1)), inArray(businesses.code, businessRefs))),
    ).then((rows) => byId(rows, (b) => b.code)),
    plain("activity", allianceActivities, "id", "title"),
    plain("announcement", allianceAnnouncements, "id", "title"),
    subjects("comment", (ids) =>
      db
        .select({ id: allianceComments.id, proposalId: allianceComments.proposalId, title: allianceProposals.title })
        .from(allianceComments)
        .innerJoin(allianceProposals, eq(allianceProposals.id, allianceComments.proposalId))
        .where(inArray(allianceComments.id, ids)),
    ),
    plain("election", allianceElections, "id", "term"),
    plain("proposal", allianceProposals, "id", "title"),
    plain("plaque_round", plaqueRounds, "id", "kind", "year"),
    subjects("plaque_nomination", (ids) =>
      db
        .select({
          id: plaqueNominations.id,
          kind: plaqueRounds.kind,
          year: plaqueRounds.year,
          name: businesses.name,
          code: businesses.code,
        })
        .from(plaqueNominations)
        .innerJoin(plaqueRounds, eq(plaqueRounds.id, plaqueNominations.roundId))
        .innerJoin(businesses, eq(businesses.id, plaqueNominations.businessId))
        .where(inArray(plaqueNominations.id, ids)),
    ),
    ofBusiness("award", awards, { ...columnsOf(awards, "kind", "year", "plaqueCode"), code: businesses.code }),
    some(bookingRefs, () =>
      db
        .select(columnsOf(bookings, "id", "publicId", "title"))
        .from(bookings)
        .where(or(inArray(bookings.id, numeric(bookingRefs).concat(-1)), inArray(bookings.publicId, bookingRefs))),
    ).then((rows) => byId(rows, (b) => b.publicId)),
    ofStream("chat_message", chatMessages, {}),
    ofStream("chat_poll", chatPolls, { question: chatPolls.question }),
    plain("feedback", feedback, "id", "caseNumber"),
    plain("dispute", disputes, "id"),
    ofBusiness("order", orders, {}),
    plain("product", products, "id", "name"),
    ofBusiness("review", reviews, { businessId: reviews.businessId }),
    plain("roster_import", rosterImports, "id", "fileName"),
  ]);

  const found = (type: string, params: AuditTarget["params"], href: string | null): AuditTarget => ({
    type,
    params,
    href,
  });

  /** How a nomination or an award is named: the plaque (its kind and year) and the business. */
  const plaqueParams = (p: { kind: string; year: number; name: string; code: string }) => ({
    kind: p.kind,
    year: p.year,
    name: p.name,
    code: p.code,
  });

  /** What `name` makes of the row `rows` holds under `id`; undefined when there is none. */
  const named = <T>(rows: Map<string, T>, id: string, name: (row: T) => AuditTarget) => {
    const row = rows.get(id);
    return row === undefined ? undefined : name(row);
  };

  function targetOf({ subjectType: type, subjectId: id }: Subject): AuditTarget | undefined {
    switch (type) {
      case "user":
        return named(usersById, id, (u) => found("user", { name: u.name, phone: maskPhone(u.phone) }, null));
      case "business":
        return named(businessesByRef, id, (b) => found("business", { name: b.name, code: b.code }, `/shops/${b.id}`));
      case "activity":
        return named(activities, id, (a) => found("activity", { title: a.title }, "/alliance/activities"));
      case "announcement":
        return named(announcements, id, (a) => found("announcement", { title: a.title }, "/alliance"));
      case "comment":
        return named(comments, id, (c) => found("comment", { title: c.title }, `/alliance/proposals/${c.proposalId}`));
      case "election":
        return named(elections, id, (e) => found("election", { term: e.term }, `/alliance/elections/${e.id}`));
      case "proposal":
        return named(proposals, id, (p) => found("proposal", { title: p.title }, `/alliance/proposals/${p.id}`));
      case "alliance":
        return found("alliance", {}, "/alliance/elections");
      case "plaque_round":
        return named(rounds, id, (r) =>
          found("plaque_round", { kind: r.kind, year: r.year }, `/plaques/rounds/${r.id}`),
        );
      case "plaque_nomination":
        return named(nominations, id, (n) =>
          found("plaque_nomination", plaqueParams(n), `/admin/plaques/nominations/${n.id}`),
        );
      case "award":
        return named(awardsById, id, (a) =>
          found("award", plaqueParams(a), `/verify/${encodeURIComponent(a.plaqueCode)}`),
        );
      case "booking":
        return named(bookingsByRef, id, (b) => found("booking", { title: b.title }, `/live/${b.publicId}`));
      case "chat_message":
        return named(messages, id, (m) => found("chat_message", { title: m.title }, `/live/${m.publicId}`));
      case "chat_poll":
        return named(polls, id, (p) =>
          found("chat_poll", { title: p.title, question: p.question }, `/live/${p.publicId}`),
        );
      case "feedback":
        return named(feedbackById, id, (f) =>
          found("feedback", { number: f.caseNumber ?? `#${f.id}` }, `/desk/feedback/${f.id}`),
        );
      case "dispute":
        return named(disputesById, id, (d) => found("dispute", { id: d.id }, `/disputes/${d.id}`));
      case "order":
        return named(ordersById, id, (o) => found("order", { id: o.id, name: o.name }, `/orders/${o.id}`));
      case "product":
        return named(productsById, id, (p) => found("product", { name: p.name }, `/products/${p.id}`));
      case "review":
        return named(reviewsById, id, (r) => found("review", { name: r.name }, `/shops/${r.businessId}#reviews`));
      case "micro_grid":
        return found("micro_grid", { code: id }, "/admin/grids");
      case "roster_import": {
        if (id.includes(",")) return found("roster_imports", { count: id.split(",").length }, "/admin/roster");
        return named(imports, id, (r) =>
          found("roster_import", { fileName: r.fileName }, `/admin/roster/imports/${r.id}`),
        );
      }
      case "platform":
        if (id === "fee") return found("platform_fee", {}, "/admin/market");
        if (id === "roster_retention") return found("platform_retention", {}, "/admin/roster");
        return undefined;
      default:
        return undefined;
    }
  }

  // A platform setting this page does not name is "other", not a missing record.
  const known = new Set<string>(AUDIT_SUBJECT_TYPES.filter((type) => type !== "platform"));
  return new Map(
    rows.map((row) => [
      row.id,
      targetOf(row) ??
        (known.has(row.subjectType)
          ? found("missing", { kind: row.subjectType, id: row.subjectId }, null)
          : found("other", { kind: "other", id: row.subjectId }, null)),
    ]),
  );
}
