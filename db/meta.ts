import { eq } from "drizzle-orm";
import type { Db } from "./client";
import { appMeta } from "./schema";

/** A setting kept in app_meta, or undefined when none is stored under `key`. */
export async function metaValue(db: Db, key: string): Promise<string | undefined> {
  const [row] = await db.select({ value: appMeta.value }).from(appMeta).where(eq(appMeta.key, key));
  return row?.value;
}

/** Stores a setting in app_meta, replacing the one under `key`. */
export async function setMetaValue(db: Db, key: string, value: string): Promise<void> {
  await db.insert(appMeta).values({ key, value }).onConflictDoUpdate({ target: appMeta.key, set: { value } });
}
