/**
 * The district's fixed vocabularies (roles, kinds, categories, statuses) for routes and components,
 * which reach the database layer only through app/domain. They are the schema's own lists
 * (db/schema/enums.ts has no drizzle imports), so browser code may import them too.
 */
export * from "../../db/schema/enums";
