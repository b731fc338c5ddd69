import { and, desc, eq, isNull, sql, type SQLWrapper } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { businessMembers, notifications, users } from "../../../db/schema";

export interface Notice {
  /** A key under notifications.kinds in app/i18n. */
  kind: string;
  params?: Record<string, string | number>;
  link?: string;
}

/** Tells a user what happened. Any area calls this, inside its own transaction. */
export async function notify(db: Db, userId: string, notice: Notice): Promise<void> {
  await db.insert(notifications).values({
    userId,
    kind: notice.kind,
    params: notice.params ?? {},
    link: notice.link ?? null,
  });
}

/** The users who act for a business: its owner and staff. */
export async function businessMemberIds(db: Db, businessId: number): Promise<string[]> {
  const rows = await db
    .select({ userId: businessMembers.userId })
    .from(businessMembers)
    .where(eq(businessMembers.businessId, businessId));
  return rows.map((r) => r.userId);
}

/** Tells everyone who acts for a business, but for `exceptUserId` (the one who did it), when given. */
export async function notifyBusiness(db: Db, businessId: number, notice: Notice, exceptUserId?: string) {
  for (const userId of await businessMemberIds(db, businessId))
    if (userId !== exceptUserId) await notify(db, userId, notice);
}

/**
 * How many notifications the account `userId` has not read, as an SQL expression: `userId` is a
 * value or an outer query's column, written qualified (drizzle drops the table from a column of a
 * one-table select, which a subquery would read as its own). The header reads it beside the cart's
 * count in one query.
 */
export function unreadOf(userId: SQLWrapper | string) {
  return sql<number>`(SELECT count(*)::int FROM notifications n WHERE n.user_id = ${userId} AND n.read_at IS NULL)`;
}

export async function unreadCount(db: Db, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: unreadOf(userId) })
    .from(users)
    .where(eq(users.id, userId));
  return Number(row?.n ?? 0);
}

export function listNotifications(db: Db, userId: string, limit = 50) {
  return db
    .select()
    .from(notifications)
    .where(eq(notifications.userId, userId))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(limit);
}

export async function markAllRead(db: Db, userId: string, now = new Date()): Promise<void> {
  await db
    .update(notifications)
    .set({ readAt: now })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
}
