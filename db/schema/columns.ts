import { integer, serial, text, timestamp, type AnyPgColumn } from "drizzle-orm/pg-core";

/**
 * Column builders the tables share, so each table states only what is its own. They build exactly
 * what the spelled-out columns did (same names, types and constraints): no migration follows.
 */

/** A timestamp with time zone. */
export const at = (name: string) => timestamp(name, { withTimezone: true });

/** `created_at`, set by the database when the row is written. */
export const createdAt = () => at("created_at").notNull().defaultNow();

/** `updated_at`, set when the row is written (the code moves it on each change). */
export const updatedAt = () => at("updated_at").notNull().defaultNow();

/** The serial `id` primary key. */
export const serialId = () => serial("id").primaryKey();

/** A required integer column referencing another table's id. (For users.id, see references.ts.) */
export const intRef = (name: string, target: () => AnyPgColumn) => integer(name).notNull().references(target);

/** An uploaded file kept under the data folder (a photo attached as evidence): its stored name and MIME type. */
export const uploadedFile = () => ({
  fileName: text("file_name").notNull(),
  mimeType: text("mime_type").notNull(),
});
