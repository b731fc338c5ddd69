import { index, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { at, createdAt, serialId } from "./columns";
import { userRef } from "./references";
import { rosterImportStatuses } from "./enums";

/**
 * A roster file between its dry run and its confirmation: the normalised rows and what the dry
 * run planned for each. Kept in the database so any server process can confirm it; confirming
 * plans again against the current database and refuses the whole import if anything changed.
 */
export const rosterImports = pgTable(
  "roster_imports",
  {
    id: serialId(),
    createdBy: userRef("created_by").notNull(),
    fileName: text("file_name").notNull(),
    status: text("status", { enum: rosterImportStatuses }).notNull().default("pending"),
    /** The file's rows after normalisation, each with its line number in the file. */
    rows: jsonb("rows").notNull(),
    /** What the dry run planned for each row (create, update, unchanged, refused, ignored). */
    plan: jsonb("plan").notNull(),
    counts: jsonb("counts").$type<Record<string, number>>().notNull(),
    /** What the dry run says about the file as a whole (data on sheets that are not read). */
    notes: jsonb("notes").$type<{ key: string; params: Record<string, string | number> }[]>().notNull().default([]),
    createdAt: createdAt(),
    decidedAt: at("decided_at"),
    /**
     * When the file's rows and plan (names, phones) were deleted after the retention period; the
     * file name, counts and dates stay, as does the audit line of what was imported.
     */
    purgedAt: at("purged_at"),
  },
  (t) => [index("roster_imports_created_by_idx").on(t.createdBy)],
);
