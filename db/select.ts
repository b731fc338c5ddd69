import { getTableColumns, type Placeholder, type Table } from "drizzle-orm";

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

/** A time as a query value: ISO 8601 text, or the placeholder a prepared query fills with it. */
export const timeValue = (at: Date | Placeholder): string | Placeholder => (at instanceof Date ? at.toISOString() : at);

const preparedByDb = new WeakMap<object, Map<string, unknown>>();

/**
 * A query built once for a database (or a transaction) and run with new values each time:
 * `build` makes it with `sql.placeholder(...)` for the values, and it is prepared under `name`.
 * For the reads every request makes (who is asking, the header's counts), drizzle otherwise
 * rebuilt the SQL text from the query tree on every call (docs/decisions/047).
 */
export function preparedFor<Q extends { prepare(name: string): unknown }>(
  db: object,
  name: string,
  build: () => Q,
): ReturnType<Q["prepare"]> {
  let byName = preparedByDb.get(db);
  if (!byName) preparedByDb.set(db, (byName = new Map()));
  let query = byName.get(name) as ReturnType<Q["prepare"]> | undefined;
  if (query === undefined) {
    query = build().prepare(name) as ReturnType<Q["prepare"]>;
    byName.set(name, query);
  }
  return query;
}
