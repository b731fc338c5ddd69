import { eq, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { sessions, users } from "../../../db/schema";
import type { MemberRole, RoleName } from "../../../db/schema/enums";
import { clockNow } from "../../lib/clock.server";
import type { Actor } from "./actor";
import type { Auth } from "./auth.server";
import { keepSession } from "./security.server";
import { columnsOf, fromJson, preparedFor } from "../../../db/select";

/**
 * Finds who sent a request from its Cookie header. Returns the actor and, when the session was
 * renewed or has ended, the Set-Cookie value to send back. The HTTP server and the socket gateway
 * both use this, so they cannot disagree about who is asking. Session lifetimes (30 days idle,
 * 90 days at most) are kept by `keepSession`.
 *
 * One query reads the session, its user, the user's roles and memberships (every signed-in
 * request pays for it; it was four, docs/decisions/031); it gives what `validateSession` and
 * `loadUser` give.
 */
export async function actorFromCookie(
  db: Db,
  auth: Auth,
  cookieHeader: string | undefined | null,
  now: Date = clockNow(),
): Promise<{ actor: Actor; sessionId: string | null; setCookie?: string }> {
  const sessionId = auth.readSessionCookie(cookieHeader ?? "");
  if (!sessionId) return { actor: null, sessionId: null };
  const [row] = await preparedFor(db, "actorFromCookie", () =>
    db
      .select({
        ...columnsOf(sessions, "userId", "expiresAt", "createdAt", "lastSeenAt"),
        user: {
          id: users.id,
          displayName: users.displayName,
          phone: users.phone,
          locale: users.locale,
        },
        roles: sql<
          RoleName[] | string
        >`coalesce((SELECT json_agg(r.role) FROM user_roles r WHERE r.user_id = ${users.id}), '[]'::json)`,
        memberships: sql<
          { businessId: number; role: MemberRole }[] | string
        >`coalesce((SELECT json_agg(json_build_object('businessId', m.business_id, 'role', m.role)) FROM business_members m WHERE m.user_id = ${users.id}), '[]'::json)`,
      })
      .from(sessions)
      .leftJoin(users, eq(users.id, sessions.userId))
      .where(eq(sessions.id, sql.placeholder("sessionId"))),
  ).execute({ sessionId });
  const session = row ? await keepSession(db, sessionId, row, now) : null;
  const user = row?.user;
  if (!session || !user) {
    return { actor: null, sessionId: null, setCookie: auth.createBlankSessionCookie().serialize() };
  }
  const actor: Actor = {
    userId: user.id,
    displayName: user.displayName,
    phone: user.phone,
    locale: user.locale,
    roles: fromJson(row.roles),
    memberships: fromJson(row.memberships),
  };
  const setCookie = session.touched ? auth.createSessionCookie(session.sessionId).serialize() : undefined;
  return { actor, sessionId: session.sessionId, setCookie };
}
