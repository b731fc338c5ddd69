import { DrizzlePostgreSQLAdapter } from "@lucia-auth/adapter-drizzle";
import { Lucia, TimeSpan } from "lucia";
import type { Db } from "../../../db/client";
import { sessions, users } from "../../../db/schema";

export function createAuth(db: Db, options: { secure: boolean }) {
  return new Lucia(new DrizzlePostgreSQLAdapter(db, sessions, users), {
    sessionExpiresIn: new TimeSpan(30, "d"),
    sessionCookie: {
      name: "xq_session",
      attributes: { secure: options.secure, sameSite: "lax" },
    },
    getUserAttributes: (attributes) => ({ displayName: attributes.displayName }),
  });
}

export type Auth = ReturnType<typeof createAuth>;

declare module "lucia" {
  interface Register {
    Lucia: Auth;
    DatabaseUserAttributes: { displayName: string };
  }
}
