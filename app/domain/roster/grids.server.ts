import { asc, eq, inArray } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { gridContacts, microGrids, users } from "../../../db/schema";
import type { Actor } from "../accounts/actor";
import { assertCan } from "../accounts/permissions";
import { recordAudit } from "../audit.server";
import type { GridContactsInput } from "./schemas";
import { DomainError, foundOr404 } from "../errors";
import { columnsOf } from "../../../db/select";

export async function listGridContacts(db: Db, actor: Actor) {
  assertCan(actor, { action: "gridContacts.manage" });
  const [grids, contacts] = await Promise.all([
    db
      .select(columnsOf(microGrids, "id", "code", "nameZh", "nameEn"))
      .from(microGrids)
      .orderBy(asc(microGrids.id)),
    db
      .select({
        ...columnsOf(gridContacts, "id", "microGridId", "role", "name", "phone", "userId", "sort"),
        account: users.phone,
        accountName: users.displayName,
      })
      .from(gridContacts)
      .leftJoin(users, eq(users.id, gridContacts.userId))
      .orderBy(asc(gridContacts.role), asc(gridContacts.sort), asc(gridContacts.id)),
  ]);
  return grids.map((g) => {
    const own = contacts.filter((c) => c.microGridId === g.id);
    return {
      ...g,
      leader: own.find((c) => c.role === "leader") ?? null,
      workers: own.filter((c) => c.role === "worker"),
    };
  });
}

/**
 * Replaces a micro-grid's contacts with the ones given, in one transaction, audited. Each contact
 * is linked to the account whose mobile is given in `account` (blank: no account): a linked
 * worker, else a linked leader, mediates the micro-grid's disputes at the grid level.
 */
export async function setGridContacts(db: Db, actor: Actor, input: GridContactsInput) {
  assertCan(actor, { action: "gridContacts.manage" });
  await db.transaction(async (tx) => {
    const grid = await foundOr404(
      tx.select({ id: microGrids.id }).from(microGrids).where(eq(microGrids.code, input.microGrid)),
    );
    const before = await tx.select().from(gridContacts).where(eq(gridContacts.microGridId, grid.id)).for("update");
    const contacts = [
      { ...input.leader, role: "leader" as const, sort: 0, field: "leader.account" },
      ...input.workers.map((w, i) => ({ ...w, role: "worker" as const, sort: i, field: `workers[${i}].account` })),
    ];
    const phones = contacts.map((c) => c.account).filter((p): p is string => !!p);
    const accounts =
      phones.length > 0
        ? await tx.select({ id: users.id, phone: users.phone }).from(users).where(inArray(users.phone, phones))
        : [];
    const wanted = contacts.map((c) => {
      if (!c.account) return { ...c, userId: null };
      const account = accounts.find((a) => a.phone === c.account);
      if (!account) throw new DomainError("roster.errors.noSuchAccount", 400, c.field);
      return { ...c, userId: account.id };
    });
    const kept = new Set<number>();
    for (const c of wanted) {
      const old = c.id ? before.find((b) => b.id === c.id && !kept.has(b.id)) : undefined;
      if (old) {
        kept.add(old.id);
        await tx
          .update(gridContacts)
          .set({
            name: c.name,
            phone: c.phone,
            role: c.role,
            sort: c.sort,
            userId: c.userId,
          })
          .where(eq(gridContacts.id, old.id));
      } else {
        await tx
          .insert(gridContacts)
          .values({ microGridId: grid.id, role: c.role, name: c.name, phone: c.phone, sort: c.sort, userId: c.userId });
      }
    }
    for (const b of before) if (!kept.has(b.id)) await tx.delete(gridContacts).where(eq(gridContacts.id, b.id));
    await recordAudit(tx, actor, "gridContacts.updated", input.microGrid, {
      before: before.map(({ role, name, phone, userId }) => ({ role, name, phone, userId })),
      after: wanted.map(({ role, name, phone, userId }) => ({ role, name, phone, userId })),
    });
  });
}
