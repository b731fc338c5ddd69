import { eq, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { users } from "../../../db/schema";
import { preparedFor } from "../../../db/select";
import { cartQuantityOf } from "../market/cart.server";
import { unreadOf } from "../notifications/notifications.server";

/**
 * The site header's two badges for a signed-in user, in one query: how many items their cart
 * holds and how many notifications they have not read, each counted by its own area's rule.
 * Every signed-in page asks for both.
 */
export async function headerCounts(db: Db, userId: string): Promise<{ cart: number; unread: number }> {
  const account = sql.raw(`"users"."id"`);
  const [row] = await preparedFor(db, "headerCounts", () =>
    db
      .select({ cart: cartQuantityOf(account), unread: unreadOf(account) })
      .from(users)
      .where(eq(users.id, sql.placeholder("userId"))),
  ).execute({ userId });
  return { cart: Number(row?.cart ?? 0), unread: Number(row?.unread ?? 0) };
}
