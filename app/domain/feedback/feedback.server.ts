import { and, desc, eq, inArray, isNotNull, isNull, ne, notInArray, or, type Placeholder } from "drizzle-orm";
import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "../../../db/client";
import { districtDate } from "../../../shared/district-time";
import {
  businesses,
  disputes,
  feedback,
  feedbackPhotos,
  users,
  type DisputeCategory,
  type FeedbackFinding,
  type FeedbackKind,
  type FeedbackSource,
} from "../../../db/schema";
import { disputeOutcomes, feedbackKinds } from "../../../db/schema/enums";
import { loadUser } from "../accounts/accounts.server";
import { memberRoleIn, ownedBusinessIds, type Actor } from "../accounts/actor";
import { assertCan, can } from "../accounts/permissions";
import { createProposal } from "../alliance/proposals.server";
import { recordAudit } from "../audit.server";
import { fileDisputeIn } from "../disputes/disputes.server";
import { DomainError, foundOr404, notFound, requiredText } from "../errors";
import { notify, notifyBusiness } from "../notifications/notifications.server";
import { maskPersonalText } from "../../lib/phone";
import { complaintOutcomes, type ComplaintOutcome } from "./outcomes";
import { formatCaseNumber } from "./standing";
import { columnsOf, fromJson, jsonDate, preparedFor, timeValue } from "../../../db/select";

export type Feedback = typeof feedback.$inferSelect;

export interface FeedbackInput {
  source: FeedbackSource;
  kind: FeedbackKind;
  businessId?: number;
  streamRef?: string;
  body: string;
  hideName: boolean;
}

/** The next public case number for a complaint filed at `now` (ADR 020). */
async function nextCaseNumber(tx: Db, now: Date) {
  const [row] = rowsOf<{ n: string | number }>(await tx.execute(sql`SELECT nextval('complaint_case_numbers') AS n`));
  return formatCaseNumber(Number(districtDate(now).slice(0, 4)), Number(row.n));
}

/**
 * Anyone signed in gives feedback; from a shop page or a plaque it is about that business. A
 * complaint about a business gets a public case number its filer follows at /cases; nobody of
 * the business complains about it (ADR 013's conflict rule, as for disputes).
 */
export async function giveFeedback(db: Db, actor: Actor, input: FeedbackInput, now: Date) {
  return db.transaction((tx) => giveFeedbackIn(tx, actor, input, now));
}

export async function giveFeedbackIn(tx: Db, actor: Actor, input: FeedbackInput, now: Date) {
  assertCan(actor, { action: "account.use" });
  const body = requiredText(input.body, "body");
  if ((input.source === "shop_page" || input.source === "plaque") && input.businessId === undefined) {
    throw new DomainError("desk.errors.unknownBusiness", 400, "businessId");
  }
  if (input.kind === "complaint" && input.businessId !== undefined && memberRoleIn(actor, input.businessId))
    throw new DomainError("desk.errors.selfComplaint", 400, "businessId");
  if (input.businessId !== undefined) {
    const [b] = await tx.select({ id: businesses.id }).from(businesses).where(eq(businesses.id, input.businessId));
    if (!b) throw new DomainError("desk.errors.unknownBusiness", 400, "businessId");
  }
  const caseNumber =
    input.kind === "complaint" && input.businessId !== undefined ? await nextCaseNumber(tx, now) : null;
  const [row] = await tx
    .insert(feedback)
    .values({
      source: input.source,
      kind: input.kind,
      businessId: input.businessId ?? null,
      streamRef: input.streamRef ?? null,
      authorId: actor.userId,
      hideName: input.hideName,
      body,
      caseNumber,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  await recordAudit(tx, actor, "feedback.given", row.id, {
    after: { kind: input.kind, source: input.source, caseNumber },
  });
  return row;
}

async function lockFeedback(tx: Db, id: number) {
  const row = await foundOr404(tx.select().from(feedback).where(eq(feedback.id, id)).for("update"));
  return row;
}

const finished = (f: Feedback) => f.status === "answered" || f.status === "closed";

/** Owners and staff of the business an item is about: the desk never shows it to them as the desk. */
const conflictedOn = (actor: Actor, f: Pick<Feedback, "businessId">) =>
  f.businessId !== null && memberRoleIn(actor, f.businessId) !== undefined;

const mine = (actor: Actor) => actor?.memberships.map((m) => m.businessId) ?? [];

/** What the desk sees of an item, with its business's and its author's names (both joined). */
const deskColumns = {
  ...columnsOf(
    feedback,
    "id",
    "source",
    "kind",
    "status",
    "body",
    "hideName",
    "reply",
    "businessId",
    "streamRef",
    "disputeId",
    "proposalId",
    "createdAt",
  ),
  businessName: businesses.name,
  authorName: users.displayName,
};

/** The officers' queue at /desk: everything not closed, newest first, with the author's name (staff see it even when hidden publicly). */
export async function deskFeedback(db: Db, actor: Actor, limit = 200) {
  assertCan(actor, { action: "desk.triage" });
  return db
    .select(deskColumns)
    .from(feedback)
    .innerJoin(users, eq(users.id, feedback.authorId))
    .leftJoin(businesses, eq(businesses.id, feedback.businessId))
    .where(
      and(
        ne(feedback.status, "closed"),
        // Nothing about the officer's own businesses: someone else at the desk handles it.
        mine(actor).length > 0
          ? or(isNull(feedback.businessId), notInArray(feedback.businessId, mine(actor)))
          : undefined,
      ),
    )
    .orderBy(desc(feedback.createdAt), desc(feedback.id))
    .limit(limit);
}

async function moveFeedback(
  db: Db,
  actor: Actor,
  id: number,
  now: Date,
  work: (tx: Db, f: Feedback) => Promise<Partial<Feedback>>,
) {
  assertCan(actor, { action: "desk.triage" });
  return db.transaction(async (tx) => {
    const f = await lockFeedback(tx, id);
    if (conflictedOn(actor, f)) throw notFound();
    if (finished(f)) throw new DomainError("desk.errors.feedbackFinished", 409);
    const set = await work(tx, f);
    await tx
      .update(feedback)
      .set({ ...set, updatedAt: now })
      .where(eq(feedback.id, id));
    await recordAudit(tx, actor, "feedback.moved", id, { before: { status: f.status }, after: { status: set.status } });
    return { ...f, ...set };
  });
}

export const triageFeedback = (db: Db, actor: Actor, id: number, now: Date) =>
  moveFeedback(db, actor, id, now, async (_tx, f) => {
    if (f.status !== "new") throw new DomainError("desk.errors.feedbackFinished", 409);
    return { status: "triaged" };
  });

/** Passes the item to the business's owner and staff, who answer it publicly on the shop page. */
export const sendToMerchant = (db: Db, actor: Actor, id: number, now: Date) =>
  moveFeedback(db, actor, id, now, async (tx, f) => {
    if (f.businessId === null) throw new DomainError("desk.errors.noBusiness", 400);
    await notifyBusiness(tx, f.businessId, {
      kind: "desk.feedbackForMerchant",
      params: { id },
      link: `/shops/${f.businessId}#feedback`,
    });
    return { status: "sent_to_merchant", sentToMerchantAt: now };
  });

/** Turns a complaint about a business into a dispute filed in the author's name. */
export const feedbackToDispute = (db: Db, actor: Actor, id: number, category: DisputeCategory, now: Date) =>
  moveFeedback(db, actor, id, now, async (tx, f) => {
    if (f.businessId === null) throw new DomainError("desk.errors.noBusiness", 400);
    const author = await authorAsActor(tx, f.authorId);
    // The complaint's photos go with it: the same files, now seen by those who see the dispute.
    const photos = await tx
      .select({ fileName: feedbackPhotos.fileName, mimeType: feedbackPhotos.mimeType })
      .from(feedbackPhotos)
      .where(eq(feedbackPhotos.feedbackId, f.id))
      .orderBy(feedbackPhotos.id);
    const dispute = await fileDisputeIn(
      tx,
      author,
      { category, respondentBusinessId: f.businessId, description: f.body },
      now,
      photos,
    );
    return { status: "disputed", disputeId: dispute.id };
  });

/**
 * Turns a suggestion into a draft proposal on the alliance board. The alliance's rule holds: a
 * proposal speaks for a member business, so the officer acts for the first business they own.
 */
export const feedbackToProposal = (db: Db, actor: Actor, id: number, now: Date) =>
  moveFeedback(db, actor, id, now, async (tx, f) => {
    const businessId = ownedBusinessIds(actor)[0];
    if (businessId === undefined) throw new DomainError("desk.errors.noMemberBusiness", 403);
    const title = `${f.body.replace(/\s+/g, " ").slice(0, 40)}`;
    const proposal = await createProposal(
      tx,
      actor,
      { businessId, category: "service", title, body: f.body, resultVisibility: "live", publish: "draft" },
      now,
    );
    return { status: "proposed", proposalId: proposal.id };
  });

/**
 * The desk (officers and staff not of the business) answers publicly, or the business's own
 * people answer an item the desk sent to them; the author is told. A merchant learns nothing of
 * an item the desk has not sent it: 404.
 */
export async function answerFeedback(db: Db, actor: Actor, id: number, reply: string, now: Date) {
  const text = requiredText(reply, "reply");
  return db.transaction(async (tx) => {
    const f = await lockFeedback(tx, id);
    const sentToMerchant = f.status === "sent_to_merchant";
    if (!can(actor, { action: "feedback.answer", businessId: f.businessId, sentToMerchant })) throw notFound();
    if (f.status === "closed") throw new DomainError("desk.errors.feedbackFinished", 409);
    await tx
      .update(feedback)
      .set({ status: "answered", reply: text, repliedBy: actor!.userId, repliedAt: now, updatedAt: now })
      .where(eq(feedback.id, id));
    await notify(tx, f.authorId, {
      kind: "desk.feedbackAnswered",
      params: { id },
      link: f.businessId ? `/shops/${f.businessId}#feedback` : "/feedback",
    });
    await recordAudit(tx, actor!.userId, "feedback.answered", id, {
      before: { status: f.status },
      after: { status: "answered" },
    });
  });
}

/**
 * The desk closes an item. A complaint is closed with a finding: upheld, or unfounded (which
 * never counts against the shop in its record).
 */
export async function closeFeedback(db: Db, actor: Actor, id: number, now: Date, finding?: FeedbackFinding) {
  assertCan(actor, { action: "desk.triage" });
  return db.transaction(async (tx) => {
    const f = await lockFeedback(tx, id);
    if (conflictedOn(actor, f)) throw notFound();
    if (f.status === "closed") throw new DomainError("desk.errors.feedbackFinished", 409);
    if (f.kind === "complaint" && !finding) throw new DomainError("desk.errors.findingRequired", 400, "finding");
    const set = { status: "closed" as const, finding: f.kind === "complaint" ? finding : null, updatedAt: now };
    await tx.update(feedback).set(set).where(eq(feedback.id, id));
    await recordAudit(tx, actor, "feedback.closed", id, {
      before: { status: f.status },
      after: { status: "closed", finding: set.finding },
    });
  });
}

/**
 * One feedback item for the desk (officers and staff), whatever its status: what the plaque
 * reviewer opens from the record. Nobody of the business concerned sees it here: 404.
 */
export async function feedbackItem(db: Db, actor: Actor, id: number) {
  assertCan(actor, { action: "desk.triage" });
  const [row] = await db
    .select({ ...deskColumns, ...columnsOf(feedback, "finding", "repliedAt", "caseNumber", "updatedAt") })
    .from(feedback)
    .innerJoin(users, eq(users.id, feedback.authorId))
    .leftJoin(businesses, eq(businesses.id, feedback.businessId))
    .where(eq(feedback.id, id));
  if (!row || conflictedOn(actor, row)) throw notFound();
  return row;
}

async function authorAsActor(tx: Db, userId: string) {
  const user = await loadUser(tx, userId);
  if (!user) throw notFound();
  return user;
}

/** "You said, we did": answered items, without names or anything personal about the author. */
export async function publicAnswered(db: Db, limit = 50) {
  const rows = await db
    .select({
      ...columnsOf(feedback, "id", "kind", "source", "body", "reply", "repliedAt", "businessId"),
      businessName: businesses.name,
    })
    .from(feedback)
    .leftJoin(businesses, eq(businesses.id, feedback.businessId))
    .where(and(eq(feedback.status, "answered"), isNotNull(feedback.reply)))
    .orderBy(desc(feedback.repliedAt), desc(feedback.id))
    .limit(limit);
  return rows.map((r) => ({ ...r, body: maskPersonalText(r.body), reply: r.reply && maskPersonalText(r.reply) }));
}

/**
 * Feedback on a shop page: the answered items for everyone (the author's name unless they hid it),
 * and for the business's own people the items sent to them that still wait for an answer.
 */
export async function shopFeedback(db: Db, actor: Actor, businessId: number) {
  const rows = await preparedFor(db, "shopFeedback", () =>
    db
      .select({
        ...columnsOf(feedback, "id", "kind", "status", "body", "reply", "repliedAt", "createdAt", "hideName"),
        authorName: users.displayName,
      })
      .from(feedback)
      .innerJoin(users, eq(users.id, feedback.authorId))
      .where(
        and(
          eq(feedback.businessId, sql.placeholder("businessId")),
          inArray(feedback.status, ["answered", "sent_to_merchant"]),
        ),
      )
      .orderBy(desc(feedback.createdAt), desc(feedback.id))
      .limit(50),
  ).execute({ businessId });
  const member = !!actor && actor.memberships.some((m) => m.businessId === businessId);
  // Public text: phone and ID-card numbers are masked, in the name too.
  const strip = (r: (typeof rows)[number]) => ({
    id: r.id,
    kind: r.kind,
    body: maskPersonalText(r.body),
    reply: r.reply && maskPersonalText(r.reply),
    repliedAt: r.repliedAt,
    author: r.hideName ? null : maskPersonalText(r.authorName),
  });
  return {
    answered: rows.filter((r) => r.status === "answered").map(strip),
    waiting: member ? rows.filter((r) => r.status === "sent_to_merchant").map(strip) : [],
  };
}

const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

export { complaintOutcomes, type ComplaintOutcome };

type DisputeRow = Pick<
  typeof disputes.$inferSelect,
  "id" | "status" | "outcome" | "filerConfirmedAt" | "respondentConfirmedAt" | "createdAt" | "category"
>;

/**
 * A dispute's outcome as a complaint: resolved only when both parties confirmed the agreement;
 * not resolvable counts as upheld (the complaint stands); withdrawn counts neither way.
 */
export function disputeAsComplaint(d: DisputeRow): ComplaintOutcome {
  if (d.status !== "closed") return "open";
  if (d.outcome === "resolved") return d.filerConfirmedAt && d.respondentConfirmedAt ? "resolved" : "upheld";
  if (d.outcome === "withdrawn") return "withdrawn";
  return "upheld";
}

/** A complaint left as feedback: open until the desk or the merchant finished it; unfounded only by the desk's finding. */
export function feedbackAsComplaint(f: Pick<Feedback, "status" | "finding">): ComplaintOutcome {
  if (f.status === "closed") return f.finding === "unfounded" ? "unfounded" : "upheld";
  if (f.status === "answered" || f.status === "proposed") return "upheld";
  return "open";
}

/**
 * A business's record over the 12 months before `now`, for the yearly plaque selection:
 * feedback by kind, disputes against it by outcome, and its complaints (complaint feedback and
 * disputes; a complaint the desk turned into a dispute counts once, as the dispute) by outcome:
 * upheld, resolved (an agreement both parties confirmed), unfounded (the desk's finding; never
 * counted against the shop), withdrawn, open. Every complaint is listed with a link.
 */
export async function businessRecord(db: Db, businessId: number, now: Date) {
  const since = recordSince(now);
  const [row] = await db
    .select(recordRowsJson(businessId, since, now))
    .from(businesses)
    .where(eq(businesses.id, businessId));
  return recordFromRows(businessId, since, now, row);
}

/** Where a record's 12 months before `now` begin. */
export const recordSince = (now: Date) => new Date(now.getTime() - YEAR_MS);

type RecordRowsJson = {
  feedback: (Pick<Feedback, "id" | "kind" | "status" | "finding" | "disputeId" | "body"> & {
    createdAt: string;
  })[];
  disputes: (Pick<DisputeRow, "id" | "status" | "outcome" | "category"> & {
    filerConfirmedAt: string | null;
    respondentConfirmedAt: string | null;
    createdAt: string;
    description: string;
  })[];
};

/**
 * What `businessRecord` reads, as two JSON columns of a select from `businesses` (one row, the
 * business): its feedback and the disputes against it from `since` to `now`, newest first. The
 * trust record reads them in the same query as its own rows.
 */
export function recordRowsJson(businessId: number | Placeholder, since: Date | Placeholder, now: Date | Placeholder) {
  const from = sql`${timeValue(since)}::timestamptz`;
  const until = sql`${timeValue(now)}::timestamptz`;
  return {
    feedback: sql<RecordRowsJson["feedback"] | string>`coalesce((SELECT json_agg(json_build_object(
        'id', f.id, 'kind', f.kind, 'status', f.status, 'finding', f.finding, 'disputeId', f.dispute_id,
        'body', f.body, 'createdAt', f.created_at) ORDER BY f.created_at DESC, f.id DESC)
      FROM feedback f WHERE f.business_id = ${businessId} AND f.created_at >= ${from} AND f.created_at <= ${until}), '[]'::json)`,
    disputes: sql<RecordRowsJson["disputes"] | string>`coalesce((SELECT json_agg(json_build_object(
        'id', d.id, 'status', d.status, 'outcome', d.outcome, 'filerConfirmedAt', d.filer_confirmed_at,
        'respondentConfirmedAt', d.respondent_confirmed_at, 'createdAt', d.created_at, 'category', d.category,
        'description', d.description) ORDER BY d.created_at DESC, d.id DESC)
      FROM disputes d WHERE d.respondent_business_id = ${businessId} AND d.created_at >= ${from} AND d.created_at <= ${until}), '[]'::json)`,
  };
}

/** The record from the rows `recordRowsJson` read (none: a business with no such rows). */
export function recordFromRows(
  businessId: number,
  since: Date,
  now: Date,
  row: { feedback: RecordRowsJson["feedback"] | string; disputes: RecordRowsJson["disputes"] | string } | undefined,
) {
  const fb = (row ? fromJson(row.feedback) : []).map((f) => ({ ...f, createdAt: new Date(f.createdAt) }));
  const ds = (row ? fromJson(row.disputes) : []).map((d) => ({
    ...d,
    filerConfirmedAt: jsonDate(d.filerConfirmedAt),
    respondentConfirmedAt: jsonDate(d.respondentConfirmedAt),
    createdAt: new Date(d.createdAt),
  }));
  const feedbackByKind = Object.fromEntries(
    feedbackKinds.map((k) => [k, fb.filter((f) => f.kind === k).length]),
  ) as Record<FeedbackKind, number>;
  const disputeOutcome = (d: (typeof ds)[number]) =>
    d.status !== "closed" ? null : d.outcome === "resolved" && disputeAsComplaint(d) !== "resolved" ? null : d.outcome;
  const disputesByOutcome = {
    ...(Object.fromEntries(
      disputeOutcomes.map((o) => [o, ds.filter((d) => d.status === "closed" && disputeOutcome(d) === o).length]),
    ) as Record<(typeof disputeOutcomes)[number], number>),
    open: ds.filter((d) => d.status !== "closed").length,
  };
  const complaintItems = [
    ...fb
      .filter((f) => f.kind === "complaint" && f.disputeId === null)
      .map((f) => ({
        type: "feedback" as const,
        id: f.id,
        outcome: feedbackAsComplaint(f),
        createdAt: f.createdAt,
        excerpt: f.body.slice(0, 60),
        link: `/desk/feedback/${f.id}`,
      })),
    ...ds.map((d) => ({
      type: "dispute" as const,
      id: d.id,
      outcome: disputeAsComplaint(d),
      createdAt: d.createdAt,
      excerpt: d.description.slice(0, 60),
      link: `/disputes/${d.id}`,
    })),
  ].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  const complaintsByOutcome = Object.fromEntries(
    complaintOutcomes.map((o) => [o, complaintItems.filter((c) => c.outcome === o).length]),
  ) as Record<ComplaintOutcome, number>;
  return {
    businessId,
    since,
    until: now,
    complaints: feedbackByKind.complaint,
    feedbackByKind,
    disputes: ds.length,
    disputesByOutcome,
    complaintsByOutcome,
    /** What counts against the shop: upheld complaints only (unfounded and withdrawn never do). */
    againstShop: complaintsByOutcome.upheld,
    complaintItems,
  };
}
