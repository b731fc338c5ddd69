import { index, jsonb, pgTable, serial, text, timestamp } from "drizzle-orm/pg-core";
import { users } from "./accounts";
import { rosterImportStatuses } from "./enums";

/**
 * A roster file between its dry run and its confirmation: the normalised rows and what the dry
 * run planned for each. Kept in the database so any server process can confirm it; confirming
 * plans again against the current database and refuses the whole import if anything changed.
 */
export const rosterImports = pgTable(
  "roster_imports",
  {
    id: serial("id").primaryKey(),
    createdBy: text("created_by")
      .notNull()
      .references(() => users.id),
    fileName: text("file_name").notNull(),
    status: text("status", { enum: rosterImportStatuses }).notNull().default("pending"),
    /** The file's rows after normalisation, each with its line number in the file. */
    rows: jsonb("rows").notNull(),
    /** What the dry run planned for each row (create, update, unchanged, refused, ignored). */
    plan: jsonb("plan").notNull(),
    counts: jsonb("counts").$type<Record<string, number>>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
  },
  (t) => [index("roster_imports_created_by_idx").on(t.createdBy)],
);
