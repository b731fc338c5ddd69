import { and, eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { userRoles, users, type RoleName } from "../../../db/schema";
import { recordAudit } from "../audit.server";
import { DomainError } from "../errors";
import { notify } from "../notifications/notifications.server";
import type { Actor } from "./actor";
import { assertCan } from "./permissions";

async function userByPhone(db: Db, phone: string) {
  const [user] = await db
    .select({ id: users.id, displayName: users.displayName })
    .from(users)
    .where(eq(users.phone, phone));
  if (!user) throw new DomainError("errors.userUnknown", 400, "phone");
  return user;
}

export async function grantRole(db: Db, actor: Actor, phone: string, role: RoleName) {
  assertCan(actor, { action: "role.manage" });
  await db.transaction(async (tx) => {
    const user = await userByPhone(tx, phone);
    const inserted = await tx
      .insert(userRoles)
      .values({ userId: user.id, role, grantedBy: actor.userId })
      .onConflictDoNothing()
      .returning({ role: userRoles.role });
    if (inserted.length === 0) return; // already held: nothing changes, nothing to record
    await recordAudit(tx, actor, "role.granted", user.id, { after: { role } });
    await notify(tx, user.id, { kind: "role.granted", params: { role } });
  });
}

export async function revokeRole(db: Db, actor: Actor, userId: string, role: RoleName) {
  assertCan(actor, { action: "role.manage" });
  await db.transaction(async (tx) => {
    const deleted = await tx
      .delete(userRoles)
      .where(and(eq(userRoles.userId, userId), eq(userRoles.role, role)))
      .returning({ role: userRoles.role });
    if (deleted.length === 0) throw new DomainError("errors.userUnknown", 404);
    await recordAudit(tx, actor, "role.revoked", userId, { before: { role } });
    await notify(tx, userId, { kind: "role.revoked", params: { role } });
  });
}

export async function listRoleHolders(db: Db, actor: Actor) {
  assertCan(actor, { action: "role.manage" });
  return db
    .select({
      userId: users.id,
      displayName: users.displayName,
      phone: users.phone,
      role: userRoles.role,
      grantedAt: userRoles.grantedAt,
    })
    .from(userRoles)
    .innerJoin(users, eq(users.id, userRoles.userId))
    .orderBy(userRoles.role, users.displayName);
}
