import { text } from "drizzle-orm/pg-core";
import { users } from "./accounts";

/**
 * A column naming an account (users.id), the foreign key most tables have: authors, reporters,
 * who created, reviewed or cancelled something. Nullable like any column; chain `.notNull()`
 * where a row always has one. (accounts.ts spells its own, which also cascade on delete.)
 */
export const userRef = (name: string) => text(name).references(() => users.id);
