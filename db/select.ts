import { getTableColumns, type Table } from "drizzle-orm";

/**
 * Some of a table's columns under their own names, for a select: `columnsOf(users, "id", "phone")`
 * is `{ id: users.id, phone: users.phone }`. Spread it beside columns of other tables or renamed ones.
 */
export function columnsOf<T extends Table, K extends keyof T["_"]["columns"] & string>(
  table: T,
  ...keys: K[]
): Pick<T["_"]["columns"], K> {
  const all = getTableColumns(table);
  return Object.fromEntries(keys.map((key) => [key, all[key]])) as Pick<T["_"]["columns"], K>;
}

/**
 * A json column of a select (`json_agg`, `json_build_object`): PGlite hands it over parsed,
 * postgres.js as text.
 */
export const fromJson = <T>(value: T | string): T => (typeof value === "string" ? (JSON.parse(value) as T) : value);

/** A timestamp read inside a json value (ISO 8601 text, or null) as a Date. */
export const jsonDate = (text: string | null): Date | null => (text === null ? null : new Date(text));
