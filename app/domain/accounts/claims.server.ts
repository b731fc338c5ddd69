import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { businesses, businessMembers, claimCodes } from "../../../db/schema";
import { recordAudit } from "../audit.server";
import { DomainError, notFound } from "../errors";
import { notify } from "../notifications/notifications.server";
import type { Actor } from "./actor";
import { assertCan } from "./permissions";
import { hashClaimCode, newClaimCode, normalizeClaimCode } from "./secrets.server";
import { columnsOf } from "../../../db/select";

/** A merchant enters the one-time code staff handed out and becomes the business's owner. */
export async function claimBusiness(db: Db, actor: Actor, code: string, now = new Date()) {
  assertCan(actor, { action: "business.claim" });
  return db.transaction(async (tx) => {
    // Lock the code row so two people racing with one code cannot both win.
    const [claim] = await tx
      .select()
      .from(claimCodes)
      .where(eq(claimCodes.codeHash, hashClaimCode(code)))
      .for("update");
    if (!claim) throw new DomainError("errors.claimCodeUnknown", 400, "code");
    if (claim.usedAt || claim.revokedAt) throw new DomainError("errors.claimCodeUsed", 400, "code");
    const [business] = await tx
      .select(columnsOf(businesses, "id", "name", "code"))
      .from(businesses)
      .where(eq(businesses.id, claim.businessId));
    if (!business) throw new DomainError("errors.businessUnknown", 400, "code");
    const [existing] = await tx
      .select({ role: businessMembers.role })
      .from(businessMembers)
      .where(and(eq(businessMembers.businessId, business.id), eq(businessMembers.userId, actor.userId)));
    if (existing?.role === "owner") throw new DomainError("errors.alreadyMember", 400, "code");
    await tx
      .insert(businessMembers)
      .values({ businessId: business.id, userId: actor.userId, role: "owner" })
      .onConflictDoUpdate({ target: [businessMembers.businessId, businessMembers.userId], set: { role: "owner" } });
    await tx.update(claimCodes).set({ usedBy: actor.userId, usedAt: now }).where(eq(claimCodes.id, claim.id));
    await recordAudit(tx, actor, "business.claimed", business.id, {
      before: existing ? { role: existing.role } : null,
      after: { ownerId: actor.userId, claimCodeId: claim.id },
    });
    await notify(tx, actor.userId, {
      kind: "claim.completed",
      params: { business: business.name },
      link: `/shops/${business.id}`,
    });
    return business;
  });
}

/** Staff issue a code for a business; the plaintext is returned once and never stored. */
export async function issueClaimCode(db: Db, actor: Actor, businessCode: string) {
  assertCan(actor, { action: "claimCode.manage" });
  return db.transaction(async (tx) => {
    const [business] = await tx
      .select({ id: businesses.id, name: businesses.name })
      .from(businesses)
      .where(eq(businesses.code, businessCode.trim().toUpperCase()));
    if (!business) throw new DomainError("errors.businessUnknown", 400, "businessCode");
    const code = newClaimCode();
    const [row] = await tx
      .insert(claimCodes)
      .values({
        businessId: business.id,
        codeHash: hashClaimCode(code),
        hint: normalizeClaimCode(code).slice(-4),
        issuedBy: actor.userId,
      })
      .returning({ id: claimCodes.id });
    await recordAudit(tx, actor, "claim_code.issued", business.id, { after: { claimCodeId: row.id } });
    return { code, business, claimCodeId: row.id };
  });
}

export async function revokeClaimCode(db: Db, actor: Actor, claimCodeId: number, now = new Date()) {
  assertCan(actor, { action: "claimCode.manage" });
  await db.transaction(async (tx) => {
    const updated = await tx
      .update(claimCodes)
      .set({ revokedAt: now })
      .where(and(eq(claimCodes.id, claimCodeId), isNull(claimCodes.usedAt), isNull(claimCodes.revokedAt)))
      .returning({ id: claimCodes.id, businessId: claimCodes.businessId });
    if (updated.length === 0) throw notFound();
    await recordAudit(tx, actor, "claim_code.revoked", updated[0].businessId, { after: { claimCodeId } });
  });
}

export async function listClaimCodes(db: Db, actor: Actor, limit = 100) {
  assertCan(actor, { action: "claimCode.manage" });
  return db
    .select({
      ...columnsOf(claimCodes, "id", "hint", "issuedAt", "usedAt", "revokedAt"),
      businessCode: businesses.code,
      businessName: businesses.name,
    })
    .from(claimCodes)
    .innerJoin(businesses, eq(businesses.id, claimCodes.businessId))
    .orderBy(desc(claimCodes.id))
    .limit(limit);
}

export async function myBusinesses(db: Db, userId: string) {
  return db
    .select({ ...columnsOf(businesses, "id", "code", "name", "kind"), role: businessMembers.role })
    .from(businessMembers)
    .innerJoin(businesses, eq(businesses.id, businessMembers.businessId))
    .where(eq(businessMembers.userId, userId))
    .orderBy(sql`${businesses.code}`);
}
