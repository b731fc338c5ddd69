import type { Db } from "../../../db/client";
import { clockNow } from "../../lib/clock.server";
import type { Actor } from "./actor";
import { loadUser } from "./accounts.server";
import type { Auth } from "./auth.server";
import { validateSession } from "./security.server";

/**
 * Finds who sent a request from its Cookie header. Returns the actor and, when the session was
 * renewed or has ended, the Set-Cookie value to send back. The HTTP server and the socket gateway
 * both use this, so they cannot disagree about who is asking. Session lifetimes (30 days idle,
 * 90 days at most) are kept by `validateSession`.
 */
export async function actorFromCookie(
  db: Db,
  auth: Auth,
  cookieHeader: string | undefined | null,
  now: Date = clockNow(),
): Promise<{ actor: Actor; sessionId: string | null; setCookie?: string }> {
  const sessionId = auth.readSessionCookie(cookieHeader ?? "");
  if (!sessionId) return { actor: null, sessionId: null };
  const session = await validateSession(db, sessionId, now);
  const actor = session ? await loadUser(db, session.userId) : null;
  if (!session || !actor) {
    return { actor: null, sessionId: null, setCookie: auth.createBlankSessionCookie().serialize() };
  }
  const setCookie = session.touched ? auth.createSessionCookie(session.sessionId).serialize() : undefined;
  return { actor, sessionId: session.sessionId, setCookie };
}
