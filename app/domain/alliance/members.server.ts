import { countDistinct, eq, inArray } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { businessMembers, businesses } from "../../../db/schema";
import { ownedBusinessIds, type Actor } from "../accounts/actor";
import { assertCan } from "../accounts/permissions";

/** Member businesses of the alliance: every business that has an owner on Xinquan. */
export async function memberBusinessCount(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: countDistinct(businessMembers.businessId) })
    .from(businessMembers)
    .where(eq(businessMembers.role, "owner"));
  return row?.n ?? 0;
}

/** Refuses unless the actor owns `businessId`: a business acts in the alliance through its owner. */
export function assertActsFor(actor: Actor, businessId: number): asserts actor is NonNullable<Actor> {
  assertCan(actor, { action: "alliance.actFor", businessId });
}

/** The businesses the actor may act for, with names, for the "acting for" choice on forms. */
export async function myMemberBusinesses(db: Db, actor: Actor) {
  const ids = ownedBusinessIds(actor);
  if (ids.length === 0) return [];
  return db
    .select({ id: businesses.id, code: businesses.code, name: businesses.name })
    .from(businesses)
    .where(inArray(businesses.id, ids))
    .orderBy(businesses.code);
}
