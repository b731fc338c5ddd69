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
