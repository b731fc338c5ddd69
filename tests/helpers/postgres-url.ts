import { randomBytes } from "node:crypto";

/** The same server and credentials, another database name. */
export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * A new, empty database of the caller's own on the server at `adminUrl`, named
 * `<prefix>_<time>_<random>` so that parallel runs on one server never meet; `drop` removes it.
 */
export async function scratchDatabase(adminUrl: string, prefix: string) {
  const { default: postgres } = await import("postgres");
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  return {
    name,
    url: databaseUrl(adminUrl, name),
    drop: async () => {
      await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}
