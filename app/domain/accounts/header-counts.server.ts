import { eq, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { users } from "../../../db/schema";

/**
 * The site header's two badges for a signed-in user, in one query: how many items their cart
 * holds (as `cartItemCount` adds them up) and how many notifications they have not read (as
 * `unreadCount`). Every signed-in page asks for both.
 */
export async function headerCounts(db: Db, userId: string): Promise<{ cart: number; unread: number }> {
  const [row] = await db
    .select({
      cart: sql<number>`(SELECT coalesce(sum(c.quantity), 0)::int FROM cart_items c WHERE c.user_id = users.id)`,
      unread: sql<number>`(SELECT count(*)::int FROM notifications n WHERE n.user_id = users.id AND n.read_at IS NULL)`,
    })
    .from(users)
    .where(eq(users.id, userId));
  return { cart: Number(row?.cart ?? 0), unread: Number(row?.unread ?? 0) };
}
