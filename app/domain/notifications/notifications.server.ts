import { and, count, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { notifications } from "../../../db/schema";

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

export async function unreadCount(db: Db, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return row?.n ?? 0;
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
