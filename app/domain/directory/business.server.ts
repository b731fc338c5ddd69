import path from "node:path";
import { asc, desc, eq } from "drizzle-orm";
import { dataDir, type Db } from "../../../db/client";
import { awards, businesses, gridContacts, microGrids } from "../../../db/schema";
import { processPhoto, removePhoto, storePhoto, readMediaPhoto } from "../photos.server";
import { maskPhone } from "../../lib/phone";
import type { Actor } from "../accounts/actor";
import { isOfficer, isStaff, memberRoleIn } from "../accounts/actor";
import { assertCan, can } from "../accounts/permissions";
import { changeOf, recordAudit } from "../audit.server";
import { notFound } from "../errors";
import type { BusinessProfileInput } from "./schemas";
import { cachedDirectoryRead } from "./cache.server";
import { directoryEntry, standingEpoch } from "./search.server";
import { isOpenAt } from "./hours";
import { districtMinuteOfDay } from "../../lib/time";

export type PlaqueState = "current" | "superseded" | "revoked";

/**
 * Everything the shop page shows; the phone is already masked or not for this viewer.
 *
 * What is the same for every viewer (the directory entry, the business's row, its plaques, its
 * micro-grid and that grid's contacts: all tables behind the directory version) is read through
 * the directory read cache, per business and standing epoch (docs/decisions/053): it changes with
 * the time only when a selection round's review closes. Whether the business is open now is worked
 * out from its hours at each request, and the phone and the right to edit per viewer.
 */
export async function businessPage(db: Db, actor: Actor, businessId: number, now = new Date()) {
  const epoch = await standingEpoch(db, now);
  const shared = await cachedDirectoryRead(
    db,
    `business:${epoch}:${businessId}`,
    () => readBusinessPage(db, businessId, now),
    "businesses",
  );
  if (!shared) throw notFound();
  const { entry, business, plaques, contacts, microGrid } = shared;
  const currentCodes = new Set(entry.plaques.map((p) => p.code));
  const seesFullPhone = memberRoleIn(actor, businessId) !== undefined || isOfficer(actor) || isStaff(actor);
  const phone = business.phone
    ? business.phonePublic || seesFullPhone
      ? { display: business.phone, callable: business.phonePublic, masked: false }
      : { display: maskPhone(business.phone), callable: false, masked: true }
    : null;
  return {
    ...entry,
    openNow: isOpenAt(entry, districtMinuteOfDay(now)),
    description: business.description,
    status: business.status,
    photoPath: business.photoPath,
    updatedAt: business.updatedAt,
    phone,
    phonePublic: business.phonePublic,
    canEdit: can(actor, { action: "business.edit", businessId }),
    microGridNameZh: microGrid?.nameZh ?? entry.microGridCode,
    microGridNameEn: microGrid?.nameEn ?? entry.microGridCode,
    contacts,
    plaques: plaques.map((p) => ({
      ...p,
      state: p.revokedAt ? "revoked" : currentCodes.has(p.code) ? "current" : "superseded",
    })),
  };
}

/** The viewer-independent reads of the shop page (null: no such business). */
async function readBusinessPage(db: Db, businessId: number, now: Date) {
  const entry = await directoryEntry(db, businessId, now);
  if (!entry) return null;
  const [[business], plaques, contacts, [microGrid]] = await Promise.all([
    db.select().from(businesses).where(eq(businesses.id, businessId)),
    db
      .select({
        kind: awards.kind,
        year: awards.year,
        citation: awards.citation,
        issuer: awards.issuer,
        code: awards.plaqueCode,
        revokedAt: awards.revokedAt,
      })
      .from(awards)
      .where(eq(awards.businessId, businessId))
      .orderBy(desc(awards.year), asc(awards.kind)),
    db
      .select({ role: gridContacts.role, name: gridContacts.name, phone: gridContacts.phone })
      .from(gridContacts)
      .innerJoin(microGrids, eq(microGrids.id, gridContacts.microGridId))
      .where(eq(microGrids.code, entry.microGridCode))
      .orderBy(asc(gridContacts.role), asc(gridContacts.sort), asc(gridContacts.id)),
    db
      .select({ nameZh: microGrids.nameZh, nameEn: microGrids.nameEn })
      .from(microGrids)
      .where(eq(microGrids.code, entry.microGridCode)),
  ]);
  return { entry, business, plaques, contacts, microGrid };
}

export async function updateBusinessProfile(db: Db, actor: Actor, businessId: number, input: BusinessProfileInput) {
  assertCan(actor, { action: "business.edit", businessId });
  await db.transaction(async (tx) => {
    const [before] = await tx.select().from(businesses).where(eq(businesses.id, businessId)).for("update");
    if (!before) throw notFound();
    const after = {
      description: input.description,
      phone: input.phone ?? null,
      phonePublic: input.phonePublic === "on" && !!input.phone,
      dayOpensAt: input.dayOpensAt ?? null,
      dayClosesAt: input.dayClosesAt ?? null,
      nightOpensAt: input.nightOpensAt ?? null,
      nightClosesAt: input.nightClosesAt ?? null,
    };
    await tx
      .update(businesses)
      .set({ ...after, updatedAt: new Date() })
      .where(eq(businesses.id, businessId));
    await recordAudit(tx, actor, "business.profile_updated", businessId, changeOf(before, after));
  });
}

export { maxPhotoBytes, sniffImageType } from "../photos.server";

export function photoFolder(): string {
  return path.join(dataDir(), "uploads", "businesses");
}

/** Stores a shop photo under the data folder, named by its content; the old one is removed. */
export async function replaceBusinessPhoto(db: Db, actor: Actor, businessId: number, bytes: Uint8Array) {
  assertCan(actor, { action: "business.edit", businessId });
  const name = await storePhoto(photoFolder(), `${businessId}-`, await processPhoto(bytes));
  const previous = await db.transaction(async (tx) => {
    const [before] = await tx
      .select({ photoPath: businesses.photoPath })
      .from(businesses)
      .where(eq(businesses.id, businessId))
      .for("update");
    if (!before) throw notFound();
    await tx.update(businesses).set({ photoPath: name, updatedAt: new Date() }).where(eq(businesses.id, businessId));
    await recordAudit(tx, actor, "business.photo_replaced", businessId, {
      before: { photoPath: before.photoPath },
      after: { photoPath: name },
    });
    return before.photoPath;
  });
  if (previous && previous !== name) await removePhoto(photoFolder(), previous);
  return name;
}

/** Used by the media route: a stored photo's bytes and type, or null. Names are checked, never trusted. */
export function readBusinessPhoto(name: string) {
  return readMediaPhoto(photoFolder(), name);
}

/**
 * The profile as its owner, staff or community staff edit it (the phone unmasked, the hours in
 * minutes after midnight); null when there is no such business.
 */
export async function businessProfileForEditing(db: Db, actor: Actor, businessId: number) {
  assertCan(actor, { action: "business.edit", businessId });
  const [business] = await db
    .select({
      name: businesses.name,
      photoPath: businesses.photoPath,
      description: businesses.description,
      phone: businesses.phone,
      phonePublic: businesses.phonePublic,
      dayOpensAt: businesses.dayOpensAt,
      dayClosesAt: businesses.dayClosesAt,
      nightOpensAt: businesses.nightOpensAt,
      nightClosesAt: businesses.nightClosesAt,
    })
    .from(businesses)
    .where(eq(businesses.id, businessId));
  return business ?? null;
}

/** A business's name as the directory shows it; null when there is no such business. */
export async function businessName(db: Db, businessId: number): Promise<string | null> {
  const [business] = await db.select({ name: businesses.name }).from(businesses).where(eq(businesses.id, businessId));
  return business?.name ?? null;
}
