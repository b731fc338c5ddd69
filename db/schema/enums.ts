/**
 * The fixed vocabularies of the schema, without drizzle imports, so browser code (forms, filters)
 * can share them without pulling the database layer into its bundle.
 */
export const locales = ["zh-CN", "en"] as const;
export type Locale = (typeof locales)[number];

export const officerRoles = ["president", "vice_president", "moderator"] as const;
export const staffRoles = ["admin", "mediator", "grid_worker"] as const;
export const roleNames = [...officerRoles, ...staffRoles] as const;
export type RoleName = (typeof roleNames)[number];

export const marketKinds = ["day", "night"] as const;
export type MarketKind = (typeof marketKinds)[number];

export const placeKinds = ["service_hall", "rest_stop", "library", "studio", "market"] as const;
export type PlaceKind = (typeof placeKinds)[number];

export const businessKinds = ["shop", "stall"] as const;
export type BusinessKind = (typeof businessKinds)[number];

export const businessStatuses = ["open", "closed"] as const;

export const memberRoles = ["owner", "staff"] as const;
export type MemberRole = (typeof memberRoles)[number];

export const plaqueKinds = ["recommended", "model_merchant"] as const;
export type PlaqueKind = (typeof plaqueKinds)[number];
