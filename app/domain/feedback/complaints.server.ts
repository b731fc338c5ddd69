import { and, asc, desc, eq, isNotNull } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { businesses, disputes, feedback, feedbackPhotos } from "../../../db/schema";
import { memberRoleIn, type Actor } from "../accounts/actor";
import { assertCan, can } from "../accounts/permissions";
import { disputePhotoFolder, readEvidencePhoto } from "../disputes/disputes.server";
import { DISPUTE_LIMITS } from "../disputes/rules";
import { DomainError, foundOr404, notFound } from "../errors";
import { photoFileName, processPhoto, storePhoto, type ProcessedPhoto } from "../photos.server";
import { giveFeedbackIn } from "./feedback.server";
import { normalizeCaseNumber } from "./standing";
import { columnsOf } from "../../../db/select";

export interface ComplaintInput {
  businessId: number;
  source: "shop_page" | "plaque";
  body: string;
  hideName: boolean;
}

/** How many photos a complaint may carry as evidence (as many as a dispute, which it may become). */
export const COMPLAINT_PHOTOS_MAX = DISPUTE_LIMITS.photosMax;

/**
 * 投诉这家店: a shopper complains about a business with photos as evidence and gets a public case
 * number (ADR 020). The photos are checked before anything is written; nobody of the business
 * complains about it. The complaint goes to the desk like any other (ADR 013 decides who acts).
 */
export async function fileComplaint(db: Db, actor: Actor, input: ComplaintInput, now: Date, photos: Uint8Array[] = []) {
  assertCan(actor, { action: "account.use" });
  if (photos.length > COMPLAINT_PHOTOS_MAX) throw new DomainError("desk.errors.tooManyPhotos", 400, "photos");
  // Decoded and re-encoded like every uploaded photo (no EXIF/GPS, capped pixels, ADR 021);
  // the evidence page links the 1280-wide file, as a dispute's does.
  const processed: ProcessedPhoto[] = [];
  for (const bytes of photos) processed.push(await processPhoto(bytes, "photos"));
  const row = await db.transaction(async (tx) => {
    const f = await giveFeedbackIn(tx, actor, { ...input, kind: "complaint" }, now);
    if (processed.length > 0)
      await tx.insert(feedbackPhotos).values(
        processed.map((p) => ({
          feedbackId: f.id,
          fileName: photoFileName("", p.hash, 1280),
          mimeType: "image/webp",
          createdAt: now,
        })),
      );
    return f;
  });
  // Stored beside the dispute photos: a complaint the desk turns into a dispute keeps them.
  for (const p of processed) await storePhoto(disputePhotoFolder(), "", p);
  return { id: row.id, caseNumber: row.caseNumber! };
}

export type CaseStatus = "received" | "with_merchant" | "answered" | "in_mediation" | "closed";

/**
 * A complaint's public case page: its status and the dates it moved, nothing else (no names, no
 * text, not even the business) for whoever has the number; its filer also sees the business and
 * a link to the dispute. null for a number that is not a case.
 */
export async function caseByNumber(db: Db, actor: Actor, input: string) {
  const number = normalizeCaseNumber(input);
  if (!number) return null;
  const [row] = await db
    .select({
      ...columnsOf(
        feedback,
        "caseNumber",
        "status",
        "finding",
        "createdAt",
        "updatedAt",
        "sentToMerchantAt",
        "repliedAt",
        "authorId",
        "businessId",
        "disputeId",
      ),
      businessName: businesses.name,
      disputeStatus: disputes.status,
      disputeOutcome: disputes.outcome,
      disputeFiledAt: disputes.createdAt,
      disputeClosedAt: disputes.closedAt,
    })
    .from(feedback)
    .leftJoin(businesses, eq(businesses.id, feedback.businessId))
    .leftJoin(disputes, eq(disputes.id, feedback.disputeId))
    .where(eq(feedback.caseNumber, number));
  if (!row) return null;
  const status: CaseStatus =
    row.disputeId !== null
      ? row.disputeStatus === "closed"
        ? "closed"
        : "in_mediation"
      : row.status === "closed"
        ? "closed"
        : row.status === "answered"
          ? "answered"
          : row.status === "sent_to_merchant"
            ? "with_merchant"
            : "received";
  const steps: { step: string; at: Date }[] = [{ step: "filed", at: row.createdAt }];
  if (row.sentToMerchantAt) steps.push({ step: "sentToMerchant", at: row.sentToMerchantAt });
  if (row.repliedAt) steps.push({ step: "answered", at: row.repliedAt });
  if (row.disputeFiledAt) steps.push({ step: "mediation", at: row.disputeFiledAt });
  if (row.disputeClosedAt) steps.push({ step: `dispute_${row.disputeOutcome ?? "closed"}`, at: row.disputeClosedAt });
  else if (row.status === "closed") steps.push({ step: `closed_${row.finding ?? "none"}`, at: row.updatedAt });
  steps.sort((a, b) => a.at.getTime() - b.at.getTime());
  const filer = !!actor && actor.userId === row.authorId;
  return {
    caseNumber: row.caseNumber!,
    status,
    steps,
    lastChange: steps[steps.length - 1].at,
    filer: filer ? { businessId: row.businessId, businessName: row.businessName, disputeId: row.disputeId } : null,
  };
}

/** The signed-in person's own complaint cases, newest first, for /cases. */
export async function myCases(db: Db, actor: Actor) {
  assertCan(actor, { action: "account.use" });
  return db
    .select({ ...columnsOf(feedback, "caseNumber", "status", "createdAt", "updatedAt"), businessName: businesses.name })
    .from(feedback)
    .leftJoin(businesses, eq(businesses.id, feedback.businessId))
    .where(and(eq(feedback.authorId, actor.userId), isNotNull(feedback.caseNumber)))
    .orderBy(desc(feedback.createdAt), desc(feedback.id))
    .limit(100);
}

/**
 * Who sees a complaint's photos: its filer, and the desk (officers and staff) unless they are of
 * the business it is about (ADR 013). Everyone else: 404, as for a photo that does not exist.
 */
async function photoViewable(db: Db, actor: Actor, feedbackId: number) {
  const [f] = await db
    .select({ authorId: feedback.authorId, businessId: feedback.businessId })
    .from(feedback)
    .where(eq(feedback.id, feedbackId));
  if (!f || !actor) throw notFound();
  if (f.authorId === actor.userId) return;
  if (!can(actor, { action: "desk.triage" })) throw notFound();
  if (f.businessId !== null && memberRoleIn(actor, f.businessId) !== undefined) throw notFound();
}

/** The ids of a complaint's photos, for those who may see them (the desk's item page). */
export async function complaintPhotoIds(db: Db, actor: Actor, feedbackId: number) {
  await photoViewable(db, actor, feedbackId);
  const rows = await db
    .select({ id: feedbackPhotos.id })
    .from(feedbackPhotos)
    .where(eq(feedbackPhotos.feedbackId, feedbackId))
    .orderBy(asc(feedbackPhotos.id));
  return rows.map((r) => r.id);
}

/** A complaint photo's bytes for its filer or the unconflicted desk; 404 for everyone else. */
export async function readComplaintPhoto(db: Db, actor: Actor, feedbackId: number, photoId: number) {
  await photoViewable(db, actor, feedbackId);
  return readEvidencePhoto(db, "complaint", feedbackId, photoId);
}

/** The business a complaint form is about: its name, and whether the person asking is of it (and so may not complain). */
export async function complaintTarget(db: Db, actor: Actor, businessId: number) {
  const b = await foundOr404(
    db.select({ id: businesses.id, name: businesses.name }).from(businesses).where(eq(businesses.id, businessId)),
  );
  return { ...b, ownShop: !!actor && memberRoleIn(actor, businessId) !== undefined };
}
