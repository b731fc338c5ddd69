import path from "node:path";
import { and, asc, desc, eq, inArray, isNotNull, isNull, lte, ne, notInArray, or, sql } from "drizzle-orm";
import { dataDir, type Db } from "../../../db/client";
import {
  businesses,
  disputeEvents,
  disputePhotos,
  disputes,
  feedbackPhotos,
  gridContacts,
  microGrids,
  stalls,
  storefronts,
  userRoles,
  users,
  type DisputeCategory,
  type DisputeEventKind,
  type DisputeLevel,
  type DisputeOutcome,
} from "../../../db/schema";
import { photoFileName, processPhoto, storePhoto, type ProcessedPhoto, readStoredPhoto } from "../photos.server";
import { maskPersonalText, maskPhone } from "../../lib/phone";
import { isOfficer, isStaff, memberRoleIn, type Actor, type User } from "../accounts/actor";
import { assertCan, can } from "../accounts/permissions";
import { recordAudit } from "../audit.server";
import { DomainError, notFound, requiredText } from "../errors";
import { businessMemberIds, notify } from "../notifications/notifications.server";
import { DISPUTE_LIMITS, dueAtFor, nextLevel } from "./rules";
import type { DisputeInput } from "./schemas";
import { columnsOf } from "../../../db/select";

export type Dispute = typeof disputes.$inferSelect;

const link = (id: number) => `/disputes/${id}`;

/** The micro-grid a business stands in: its storefront's or its stall's. */
export async function microGridOfBusiness(db: Db, businessId: number): Promise<number | null> {
  const [row] = await db
    .select({ shop: storefronts.microGridId, stall: stalls.microGridId })
    .from(businesses)
    .leftJoin(storefronts, eq(storefronts.id, businesses.storefrontId))
    .leftJoin(stalls, eq(stalls.id, businesses.stallId))
    .where(eq(businesses.id, businessId));
  if (!row) return null;
  return row.shop ?? row.stall ?? null;
}

/** The roles that mediate at the alliance and the community, in the order they are asked. */
const LEVEL_ROLES = {
  alliance: ["president", "vice_president", "moderator"],
  community: ["mediator", "admin"],
} as const;

async function usersWithRoles(db: Db, roles: readonly string[]): Promise<string[]> {
  const rows = await db
    .select({ id: userRoles.userId, role: userRoles.role })
    .from(userRoles)
    .where(inArray(userRoles.role, roles as never[]))
    .orderBy(asc(userRoles.userId));
  const ordered: string[] = [];
  for (const role of roles) for (const r of rows) if (r.role === role && !ordered.includes(r.id)) ordered.push(r.id);
  return ordered;
}

/**
 * The people who may not mediate a dispute: its parties (the filer, the other person) and
 * everyone who owns or works for the business it is about.
 */
export async function conflictedOn(
  db: Db,
  dispute: Pick<Dispute, "filerId" | "respondentUserId" | "respondentBusinessId">,
): Promise<Set<string>> {
  const ids = new Set<string>([dispute.filerId]);
  for (const id of await respondentUserIds(db, dispute)) ids.add(id);
  return ids;
}

/** Candidates at one level, before conflicts are taken out. */
async function candidatesAt(db: Db, level: DisputeLevel, microGridId: number): Promise<string[]> {
  if (level === "grid") {
    // The micro-grid's own grid workers with an account, then its leader with an account.
    const rows = await db
      .select({ userId: gridContacts.userId, role: gridContacts.role })
      .from(gridContacts)
      .where(and(eq(gridContacts.microGridId, microGridId), isNotNull(gridContacts.userId)))
      .orderBy(asc(gridContacts.sort), asc(gridContacts.id));
    const workers = rows.filter((r) => r.role === "worker").map((r) => r.userId!);
    const leaders = rows.filter((r) => r.role === "leader").map((r) => r.userId!);
    return [...new Set([...workers, ...leaders])];
  }
  return usersWithRoles(db, LEVEL_ROLES[level]);
}

export interface Placement {
  level: DisputeLevel;
  assigneeId: string | null;
  /** Who was passed over because of a conflict of interest, in order. */
  skipped: string[];
}

/**
 * Who mediates, from `from` upwards. Grid: the micro-grid's own grid worker with an account, else
 * its leader with an account. Alliance: the president, else a vice-president, else a moderator.
 * Community: a mediator, else an administrator. At every level anyone conflicted (a party, or an
 * owner or member of the business concerned) is skipped for the next eligible person; a level
 * with nobody eligible passes the dispute to the next one. At the community with nobody eligible
 * the dispute waits unassigned.
 */
export async function assigneeFor(
  db: Db,
  from: DisputeLevel,
  microGridId: number,
  conflicted: ReadonlySet<string> = new Set(),
): Promise<Placement> {
  const skipped: string[] = [];
  let level: DisputeLevel | null = from;
  let last: DisputeLevel = from;
  while (level) {
    last = level;
    for (const id of await candidatesAt(db, level, microGridId)) {
      if (conflicted.has(id)) {
        if (!skipped.includes(id)) skipped.push(id);
        continue;
      }
      return { level, assigneeId: id, skipped };
    }
    level = nextLevel(level);
  }
  return { level: last, assigneeId: null, skipped };
}

async function displayNames(db: Db, ids: readonly string[]): Promise<string> {
  if (ids.length === 0) return "";
  const rows = await db
    .select({ id: users.id, name: users.displayName })
    .from(users)
    .where(inArray(users.id, [...ids]));
  return ids.map((id) => maskPersonalText(rows.find((r) => r.id === id)?.name ?? "")).join("、");
}

/** Writes the "assigned" event (saying who was passed over) and tells the new mediator. */
async function announcePlacement(tx: Db, disputeId: number, placement: Placement, now: Date) {
  const params: Record<string, string | number> = { level: placement.level };
  if (placement.assigneeId) params.assigneeId = placement.assigneeId;
  if (placement.skipped.length > 0) params.skipped = await displayNames(tx, placement.skipped);
  await addEvent(tx, disputeId, "assigned", null, now, "", params);
  if (placement.assigneeId)
    await notify(tx, placement.assigneeId, {
      kind: "desk.disputeAssigned",
      params: { id: disputeId },
      link: link(disputeId),
    });
}

async function addEvent(
  tx: Db,
  disputeId: number,
  kind: DisputeEventKind,
  authorId: string | null,
  now: Date,
  body = "",
  params: Record<string, string | number> = {},
) {
  await tx.insert(disputeEvents).values({ disputeId, kind, authorId, body, params, createdAt: now });
}

/** The users who speak for the other party: the person, or the business's owner and staff. */
async function respondentUserIds(
  db: Db,
  dispute: Pick<Dispute, "respondentUserId" | "respondentBusinessId">,
): Promise<string[]> {
  if (dispute.respondentUserId) return [dispute.respondentUserId];
  if (dispute.respondentBusinessId == null) return [];
  return businessMemberIds(db, dispute.respondentBusinessId);
}

const isRespondent = (actor: Actor, dispute: Pick<Dispute, "respondentUserId" | "respondentBusinessId">) =>
  !!actor &&
  (dispute.respondentUserId === actor.userId ||
    (dispute.respondentBusinessId != null && memberRoleIn(actor, dispute.respondentBusinessId) !== undefined));

const viewPermission = (d: Dispute) =>
  ({
    action: "dispute.view",
    filerId: d.filerId,
    respondentUserId: d.respondentUserId,
    respondentBusinessId: d.respondentBusinessId,
    assigneeId: d.assigneeId,
  }) as const;

/** Loads (and locks) a dispute the actor may see; anyone else learns nothing: 404. */
async function visibleDispute(tx: Db, actor: Actor, id: number, lock = false): Promise<Dispute> {
  const query = tx.select().from(disputes).where(eq(disputes.id, id));
  const [dispute] = lock ? await query.for("update") : await query;
  if (!dispute || !can(actor, viewPermission(dispute))) throw notFound();
  return dispute;
}

export interface NewDispute extends DisputeInput {
  feedbackId?: number;
}

/**
 * Files a dispute (inside `tx`, which may be the caller's transaction). The micro-grid comes from
 * the business, or for a dispute between people from the address the filer names.
 */
export async function fileDisputeIn(
  tx: Db,
  filer: User,
  input: DisputeInput,
  now: Date,
  photoNames: { fileName: string; mimeType: string }[] = [],
) {
  if (input.description.trim().length === 0) throw new DomainError("errors.required", 400, "description");
  let respondentUserId: string | null = null;
  let microGridId: number | null = null;
  if (input.respondentBusinessId !== undefined) {
    if (memberRoleIn(filer, input.respondentBusinessId) !== undefined)
      throw new DomainError("desk.errors.selfDispute", 400, "respondentBusinessId");
    microGridId = await microGridOfBusiness(tx, input.respondentBusinessId);
    if (microGridId === null) throw new DomainError("desk.errors.unknownBusiness", 400, "respondentBusinessId");
  } else if (input.respondentPhone !== undefined) {
    const [person] = await tx.select({ id: users.id }).from(users).where(eq(users.phone, input.respondentPhone));
    if (!person) throw new DomainError("desk.errors.unknownPerson", 400, "respondentPhone");
    if (person.id === filer.userId) throw new DomainError("desk.errors.selfDispute", 400, "respondentPhone");
    respondentUserId = person.id;
    if (input.microGridId === undefined) throw new DomainError("desk.errors.microGridRequired", 400, "microGridId");
    const [mg] = await tx.select({ id: microGrids.id }).from(microGrids).where(eq(microGrids.id, input.microGridId));
    if (!mg) throw new DomainError("desk.errors.microGridRequired", 400, "microGridId");
    microGridId = mg.id;
  } else {
    throw new DomainError("desk.errors.onePartyRequired", 400, "respondentPhone");
  }
  const parties = { filerId: filer.userId, respondentUserId, respondentBusinessId: input.respondentBusinessId ?? null };
  const placement = await assigneeFor(tx, "grid", microGridId, await conflictedOn(tx, parties));
  const { level, assigneeId } = placement;
  const [dispute] = await tx
    .insert(disputes)
    .values({
      category: input.category,
      filerId: filer.userId,
      respondentBusinessId: input.respondentBusinessId ?? null,
      respondentUserId,
      microGridId,
      description: input.description.trim(),
      level,
      assigneeId,
      levelStartedAt: now,
      dueAt: dueAtFor(level, now),
      createdAt: now,
    })
    .returning();
  const id = dispute.id;
  await addEvent(tx, id, "filed", filer.userId, now);
  if (photoNames.length > 0)
    await tx.insert(disputePhotos).values(photoNames.map((p) => ({ disputeId: id, ...p, createdAt: now })));
  await announcePlacement(tx, id, placement, now);
  // The other party learns at once that a dispute was filed against it.
  for (const userId of await respondentUserIds(tx, dispute))
    await notify(tx, userId, { kind: "desk.disputeFiledAgainst", params: { id }, link: link(id) });
  await recordAudit(tx, filer, "dispute.filed", id, {
    after: { category: input.category, level, assigneeId, skipped: placement.skipped },
  });
  return dispute;
}

export function disputePhotoFolder(): string {
  return path.join(dataDir(), "uploads", "disputes");
}

/** Files a dispute with its photos: the photos are checked before anything is written. */
export async function fileDispute(db: Db, actor: Actor, input: DisputeInput, now: Date, photos: Uint8Array[] = []) {
  assertCan(actor, { action: "account.use" });
  if (photos.length > DISPUTE_LIMITS.photosMax) throw new DomainError("desk.errors.tooManyPhotos", 400, "photos");
  const processed: ProcessedPhoto[] = [];
  for (const bytes of photos) processed.push(await processPhoto(bytes, "photos"));
  // Evidence is looked at closely: the page links the 1280-wide file (never enlarged).
  const names = processed.map((p) => ({ fileName: photoFileName("", p.hash, 1280), mimeType: "image/webp" }));
  const dispute = await db.transaction((tx) => fileDisputeIn(tx, actor, input, now, names));
  for (const p of processed) await storePhoto(disputePhotoFolder(), "", p);
  return dispute;
}

/** A dispute photo's bytes for someone who may see the dispute; 404 for everyone else. */
export async function readDisputePhoto(db: Db, actor: Actor, disputeId: number, photoId: number) {
  await visibleDispute(db, actor, disputeId);
  return readEvidencePhoto(db, "dispute", disputeId, photoId);
}

/** Where a case's evidence photos are kept: the table, and its column naming the case. */
const evidencePhotos = {
  dispute: [disputePhotos, disputePhotos.disputeId],
  complaint: [feedbackPhotos, feedbackPhotos.feedbackId],
} as const;

/**
 * The bytes of a dispute's or a complaint's photo `photoId`, found only under its own case;
 * 404 when the row or the file is missing.
 */
export async function readEvidencePhoto(db: Db, of: keyof typeof evidencePhotos, caseId: number, photoId: number) {
  const [photos, caseColumn] = evidencePhotos[of];
  const [photo] = await db
    .select({ fileName: photos.fileName })
    .from(photos)
    .where(and(eq(photos.id, photoId), eq(caseColumn, caseId)));
  const stored = photo ? await readStoredPhoto(disputePhotoFolder(), photo.fileName) : null;
  if (!stored) throw notFound();
  return stored;
}

/** One dispute with its timeline, for those who may see it. Phones are masked except for the people allowed to see them. */
export async function getDispute(db: Db, actor: Actor, id: number) {
  const dispute = await visibleDispute(db, actor, id);
  const conflicted = await conflictedOn(db, dispute);
  const mediates = can(actor, mediatePermission(dispute, conflicted, actor));
  // Party phones are for the person mediating it, while it is open, and for their owners.
  const seesPhones = mediates && dispute.status !== "closed";
  const people = await db
    .select({ id: users.id, name: users.displayName, phone: users.phone })
    .from(users)
    .where(
      inArray(
        users.id,
        [dispute.filerId, dispute.respondentUserId, dispute.assigneeId].filter((x): x is string => !!x),
      ),
    );
  const person = (userId: string | null) => {
    const p = people.find((x) => x.id === userId);
    if (!p) return null;
    const own = seesPhones || actor?.userId === p.id;
    return { name: own ? p.name : maskPersonalText(p.name), phone: own ? p.phone : maskPhone(p.phone) };
  };
  // Phone and ID numbers in the texts are masked for everyone but the mediator and the text's author.
  const text = (body: string, authorId: string | null) =>
    seesPhones || (actor && authorId === actor.userId) ? body : maskPersonalText(body);
  const [business] = dispute.respondentBusinessId
    ? await db
        .select(columnsOf(businesses, "id", "name", "code"))
        .from(businesses)
        .where(eq(businesses.id, dispute.respondentBusinessId))
    : [];
  const [grid] = await db
    .select(columnsOf(microGrids, "code", "nameZh", "nameEn"))
    .from(microGrids)
    .where(eq(microGrids.id, dispute.microGridId));
  const events = await db
    .select({
      ...columnsOf(disputeEvents, "id", "kind", "body", "params", "createdAt", "authorId"),
      author: users.displayName,
    })
    .from(disputeEvents)
    .leftJoin(users, eq(users.id, disputeEvents.authorId))
    .where(eq(disputeEvents.disputeId, id))
    .orderBy(asc(disputeEvents.createdAt), asc(disputeEvents.id));
  const photos = await db
    .select({ id: disputePhotos.id })
    .from(disputePhotos)
    .where(eq(disputePhotos.disputeId, id))
    .orderBy(asc(disputePhotos.id));
  const assigneeIds = [
    ...new Set(events.map((e) => e.params.assigneeId).filter((x): x is string => typeof x === "string")),
  ];
  const assigneeNames =
    assigneeIds.length > 0
      ? await db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, assigneeIds))
      : [];
  const isFiler = actor?.userId === dispute.filerId;
  const respondent = isRespondent(actor, dispute);
  const [assignee] = dispute.assigneeId
    ? await db
        .select({ name: users.displayName, phone: users.phone })
        .from(users)
        .where(eq(users.id, dispute.assigneeId))
    : [];
  return {
    dispute: {
      ...dispute,
      description: text(dispute.description, dispute.filerId),
      agreementText: dispute.agreementText === null ? null : text(dispute.agreementText, null),
    },
    filer: person(dispute.filerId),
    respondentPerson: person(dispute.respondentUserId),
    respondentBusiness: business ?? null,
    // The mediator's own phone is not personal: parties call their mediator.
    assignee: assignee ? { name: assignee.name, phone: assignee.phone } : null,
    microGrid: grid,
    events: events.map(({ authorId, ...e }) => ({
      ...e,
      assigneeName:
        e.kind === "assigned" && typeof e.params.assigneeId === "string"
          ? (assigneeNames.find((u) => u.id === e.params.assigneeId)?.name ?? null)
          : null,
      author: e.author === null || seesPhones || authorId === actor?.userId ? e.author : maskPersonalText(e.author),
      body: text(e.body, authorId),
    })),
    photoIds: photos.map((p) => p.id),
    may: {
      mediate: mediates && dispute.status !== "closed",
      escalate: mediates && dispute.status !== "closed" && nextLevel(dispute.level) !== null,
      requestWithdrawal: isFiler && dispute.status !== "closed" && dispute.withdrawalRequestedAt === null,
      closeWithdrawn: dispute.withdrawalRequestedAt !== null,
      confirm:
        dispute.status === "agreement_pending" &&
        ((isFiler && !dispute.filerConfirmedAt) || (respondent && !dispute.respondentConfirmedAt)),
      rate: isFiler && dispute.status === "closed" && dispute.satisfaction === null,
    },
  };
}

/** What /disputes lists for this actor: every dispute (officers and staff) or only their own. */
export function disputeListScope(actor: Actor): "all" | "mine" {
  return isOfficer(actor) || isStaff(actor) ? "all" : "mine";
}

/**
 * Disputes the actor is party to or mediates; officers and staff see all of them. At the desk
 * (`asDesk`) an officer or staff member sees none about their own business: those are theirs as
 * a party only, on their own list.
 */
export async function listDisputes(db: Db, actor: Actor, limit = 100, options: { asDesk?: boolean } = {}) {
  assertCan(actor, { action: "account.use" });
  const everyone = disputeListScope(actor) === "all";
  const businessIds = actor.memberships.map((m) => m.businessId);
  const notMine =
    businessIds.length > 0
      ? and(
          or(isNull(disputes.respondentBusinessId), notInArray(disputes.respondentBusinessId, businessIds)),
          ne(disputes.filerId, actor.userId),
          or(isNull(disputes.respondentUserId), ne(disputes.respondentUserId, actor.userId)),
        )
      : and(
          ne(disputes.filerId, actor.userId),
          or(isNull(disputes.respondentUserId), ne(disputes.respondentUserId, actor.userId)),
        );
  const mine = or(
    eq(disputes.filerId, actor.userId),
    eq(disputes.respondentUserId, actor.userId),
    eq(disputes.assigneeId, actor.userId),
    businessIds.length > 0 ? inArray(disputes.respondentBusinessId, businessIds) : sql`false`,
  );
  return db
    .select({
      ...columnsOf(disputes, "id", "category", "level", "status", "outcome", "dueAt", "createdAt", "assigneeId"),
      businessName: businesses.name,
    })
    .from(disputes)
    .leftJoin(businesses, eq(businesses.id, disputes.respondentBusinessId))
    .where(everyone ? (options.asDesk ? notMine : undefined) : mine)
    .orderBy(desc(disputes.createdAt), desc(disputes.id))
    .limit(limit);
}

const mediatePermission = (dispute: Dispute, conflicted: ReadonlySet<string>, actor: Actor) =>
  ({
    action: "dispute.mediate",
    assigneeId: dispute.assigneeId,
    conflicted: !!actor && conflicted.has(actor.userId),
  }) as const;

/**
 * Loads and locks a dispute the actor mediates: its assignee (or, while nobody is assigned, a
 * mediator or administrator), never a party or a member of the business concerned.
 */
async function openForMediation(tx: Db, actor: Actor, id: number) {
  const dispute = await visibleDispute(tx, actor, id, true);
  assertCan(actor, mediatePermission(dispute, await conflictedOn(tx, dispute), actor));
  if (dispute.status === "closed") throw new DomainError("desk.errors.disputeClosed", 409);
  return dispute;
}

/** A note, a meeting or a proposal on the timeline (the mediator, officers, staff). */
export async function addDisputeNote(
  db: Db,
  actor: Actor,
  id: number,
  input: { kind: "note" | "meeting" | "proposal"; body: string },
  now: Date,
) {
  const body = requiredText(input.body, "body");
  return db.transaction(async (tx) => {
    await openForMediation(tx, actor, id);
    await addEvent(tx, id, input.kind, actor!.userId, now, body);
  });
}

async function moveUp(tx: Db, dispute: Dispute, actorId: string | null, startedAt: Date, now: Date): Promise<Dispute> {
  const next = nextLevel(dispute.level);
  if (!next) throw new DomainError("desk.errors.topLevel", 409);
  const placement = await assigneeFor(tx, next, dispute.microGridId, await conflictedOn(tx, dispute));
  const { level, assigneeId } = placement;
  const [updated] = await tx
    .update(disputes)
    .set({ level, assigneeId, levelStartedAt: startedAt, dueAt: dueAtFor(level, startedAt) })
    .where(eq(disputes.id, dispute.id))
    .returning();
  await addEvent(tx, dispute.id, "escalated", actorId, now, "", {
    from: dispute.level,
    to: level,
    automatic: actorId ? 0 : 1,
  });
  await announcePlacement(tx, dispute.id, placement, now);
  const parties = [dispute.filerId, ...(await respondentUserIds(tx, dispute))];
  for (const userId of new Set(parties)) {
    await notify(tx, userId, {
      kind: "desk.disputeEscalated",
      params: { id: dispute.id, level },
      link: link(dispute.id),
    });
  }
  await recordAudit(tx, actorId, "dispute.escalated", dispute.id, {
    before: { level: dispute.level, assigneeId: dispute.assigneeId },
    after: { level, assigneeId, skipped: placement.skipped },
  });
  return updated;
}

/** A mediator moves the dispute up a level by hand. */
export async function escalateDispute(db: Db, actor: Actor, id: number, now: Date) {
  return db.transaction(async (tx) => {
    const dispute = await openForMediation(tx, actor, id);
    return moveUp(tx, dispute, actor!.userId, now, now);
  });
}

/**
 * The scheduled job: every open dispute whose level's deadline has passed moves up, level by level
 * (each new level's clock starts when the previous one ran out). Idempotent; rows are locked.
 */
export async function escalateDueDisputes(db: Db, now: Date): Promise<number> {
  const due = await db
    .select({ id: disputes.id })
    .from(disputes)
    .where(and(ne(disputes.status, "closed"), ne(disputes.level, "community"), lte(disputes.dueAt, now)));
  let moved = 0;
  for (const { id } of due) {
    await db.transaction(async (tx) => {
      let [dispute] = await tx.select().from(disputes).where(eq(disputes.id, id)).for("update");
      while (
        dispute &&
        dispute.status !== "closed" &&
        nextLevel(dispute.level) &&
        dispute.dueAt &&
        dispute.dueAt <= now
      ) {
        dispute = await moveUp(tx, dispute, null, dispute.dueAt, now);
        moved++;
      }
    });
  }
  return moved;
}

/** The mediator writes down the agreement; both parties are asked to confirm it. */
export async function recordAgreement(db: Db, actor: Actor, id: number, text: string, now: Date) {
  const agreement = requiredText(text, "text");
  return db.transaction(async (tx) => {
    const dispute = await openForMediation(tx, actor, id);
    await tx
      .update(disputes)
      .set({
        agreementText: agreement,
        status: "agreement_pending",
        filerConfirmedAt: null,
        respondentConfirmedAt: null,
        respondentConfirmedBy: null,
      })
      .where(eq(disputes.id, id));
    await addEvent(tx, id, "agreement", actor!.userId, now, agreement);
    for (const userId of new Set([dispute.filerId, ...(await respondentUserIds(tx, dispute))])) {
      await notify(tx, userId, { kind: "desk.agreementAwaiting", params: { id }, link: link(id) });
    }
  });
}

async function closeIn(
  tx: Db,
  dispute: Dispute,
  actorId: string | null,
  outcome: DisputeOutcome,
  note: string,
  now: Date,
) {
  await tx
    .update(disputes)
    .set({ status: "closed", outcome, closedAt: now, dueAt: null })
    .where(eq(disputes.id, dispute.id));
  await addEvent(tx, dispute.id, "closed", actorId, now, note, { outcome });
  await notify(tx, dispute.filerId, {
    kind: "desk.satisfactionRequest",
    params: { id: dispute.id },
    link: link(dispute.id),
  });
  await recordAudit(tx, actorId, "dispute.closed", dispute.id, { after: { outcome, level: dispute.level } });
}

/**
 * A party confirms the agreement. Only the filer and the other party (the person, or the
 * business's owner or staff) may; when both have, the dispute closes as resolved.
 */
export async function confirmAgreement(db: Db, actor: Actor, id: number, now: Date) {
  return db.transaction(async (tx) => {
    const dispute = await visibleDispute(tx, actor, id, true);
    const asFiler = actor!.userId === dispute.filerId;
    const asRespondent = isRespondent(actor, dispute);
    if (!asFiler && !asRespondent) throw new DomainError("desk.errors.notAParty", 403);
    if (dispute.status !== "agreement_pending") throw new DomainError("desk.errors.noAgreement", 409);
    const set: Partial<Dispute> = {};
    if (asFiler && !dispute.filerConfirmedAt) set.filerConfirmedAt = now;
    else if (asRespondent && !dispute.respondentConfirmedAt) {
      set.respondentConfirmedAt = now;
      set.respondentConfirmedBy = actor!.userId;
    } else throw new DomainError("desk.errors.alreadyConfirmed", 409);
    await tx.update(disputes).set(set).where(eq(disputes.id, id));
    await addEvent(tx, id, "confirmed", actor!.userId, now, "", {
      as: asFiler && set.filerConfirmedAt ? "filer" : "respondent",
    });
    const filerDone = set.filerConfirmedAt ?? dispute.filerConfirmedAt;
    const respondentDone = set.respondentConfirmedAt ?? dispute.respondentConfirmedAt;
    if (filerDone && respondentDone) await closeIn(tx, dispute, null, "resolved", "", now);
  });
}

/**
 * The mediator closes a dispute that was not settled: as withdrawn, only after the filer asked
 * for it (recorded on the timeline), or as not resolvable, with a reason both parties read.
 * "Resolved" is never the mediator's word: only both parties confirming an agreement makes it.
 */
export async function closeDispute(
  db: Db,
  actor: Actor,
  id: number,
  input: { outcome: DisputeOutcome; note: string },
  now: Date,
) {
  const note = input.note.trim();
  if (input.outcome === "resolved") throw new DomainError("desk.errors.resolvedOnlyByParties", 400, "outcome");
  if (input.outcome === "unresolvable" && note.length === 0)
    throw new DomainError("desk.errors.reasonRequired", 400, "note");
  return db.transaction(async (tx) => {
    const dispute = await openForMediation(tx, actor, id);
    if (input.outcome === "withdrawn" && dispute.withdrawalRequestedAt === null)
      throw new DomainError("desk.errors.noWithdrawalRequest", 409, "outcome");
    await closeIn(tx, dispute, actor!.userId, input.outcome, note, now);
    // Both parties are told why it was closed (the reason is on the timeline they see).
    for (const userId of await respondentUserIds(tx, dispute))
      await notify(tx, userId, {
        kind: "desk.disputeClosed",
        params: { id, outcome: input.outcome },
        link: link(id),
      });
  });
}

/** The filer asks to withdraw; the request is recorded and the mediator is told. */
export async function requestWithdrawal(db: Db, actor: Actor, id: number, reason: string, now: Date) {
  return db.transaction(async (tx) => {
    const dispute = await visibleDispute(tx, actor, id, true);
    if (dispute.filerId !== actor!.userId) throw new DomainError("desk.errors.onlyFilerWithdraws", 403);
    if (dispute.status === "closed") throw new DomainError("desk.errors.disputeClosed", 409);
    if (dispute.withdrawalRequestedAt) throw new DomainError("desk.errors.withdrawalAlreadyRequested", 409);
    await tx.update(disputes).set({ withdrawalRequestedAt: now }).where(eq(disputes.id, id));
    await addEvent(tx, id, "withdrawal_requested", actor!.userId, now, reason.trim());
    if (dispute.assigneeId)
      await notify(tx, dispute.assigneeId, { kind: "desk.withdrawalRequested", params: { id }, link: link(id) });
    await recordAudit(tx, actor!.userId, "dispute.withdrawalRequested", id);
  });
}

/** The filer, and only the filer, answers the satisfaction question once the dispute is closed. */
export async function rateDispute(
  db: Db,
  actor: Actor,
  id: number,
  input: { score: number; comment: string },
  now: Date,
) {
  if (!Number.isInteger(input.score) || input.score < 1 || input.score > 5)
    throw new DomainError("errors.invalid", 400, "score");
  return db.transaction(async (tx) => {
    const dispute = await visibleDispute(tx, actor, id, true);
    if (dispute.filerId !== actor!.userId) throw new DomainError("desk.errors.onlyFilerRates", 403);
    if (dispute.status !== "closed") throw new DomainError("desk.errors.notClosed", 409);
    if (dispute.satisfaction !== null) throw new DomainError("desk.errors.alreadyRated", 409);
    await tx
      .update(disputes)
      .set({ satisfaction: input.score, satisfactionComment: input.comment.trim() || null })
      .where(eq(disputes.id, id));
    await addEvent(tx, id, "rated", actor!.userId, now, input.comment.trim(), { score: input.score });
  });
}

export type { DisputeCategory };

/** A business by its code (S0001, T0001), for the dispute form; null when there is none. */
export async function businessByCode(db: Db, code: string) {
  const [row] = await db
    .select(columnsOf(businesses, "id", "name", "code"))
    .from(businesses)
    .where(eq(businesses.code, code.trim().toUpperCase()));
  return row ?? null;
}

/** Micro-grids for the "where did it happen" choice. */
export function microGridChoices(db: Db) {
  return db
    .select(columnsOf(microGrids, "id", "code", "nameZh", "nameEn"))
    .from(microGrids)
    .orderBy(asc(microGrids.code));
}
