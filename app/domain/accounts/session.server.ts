import type { Db } from "../../../db/client";
import type { Actor } from "./actor";
import { loadUser } from "./accounts.server";
import type { Auth } from "./auth.server";

/**
 * Finds who sent a request from its Cookie header. Returns the actor and, when lucia renewed or
 * dropped the session, the Set-Cookie value to send back. The HTTP server and the socket gateway
 * both use this, so they cannot disagree about who is asking.
 */
export async function actorFromCookie(
  db: Db,
  auth: Auth,
  cookieHeader: string | undefined | null,
): Promise<{ actor: Actor; sessionId: string | null; setCookie?: string }> {
  const sessionId = auth.readSessionCookie(cookieHeader ?? "");
  if (!sessionId) return { actor: null, sessionId: null };
  const { session, user } = await auth.validateSession(sessionId);
  if (!session || !user) {
    return { actor: null, sessionId: null, setCookie: auth.createBlankSessionCookie().serialize() };
  }
  const actor = await loadUser(db, user.id);
  const setCookie = session.fresh ? auth.createSessionCookie(session.id).serialize() : undefined;
  return { actor, sessionId: session.id, setCookie };
}
