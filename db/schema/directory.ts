import { relations } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  smallint,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { at, createdAt, updatedAt, serialId, intRef } from "./columns";
import { sql } from "drizzle-orm";
import { users } from "./accounts";
import { userRef } from "./references";
import { businessKinds, businessStatuses, marketKinds, memberRoles, placeKinds } from "./enums";

/** A point on the district map, in SVG user units (the map's viewBox is 0 0 1000 700). */
export type MapPoint = [number, number];

export const streets = pgTable("streets", {
  id: serialId(),
  code: text("code").notNull().unique(),
  nameZh: text("name_zh").notNull(),
  nameEn: text("name_en").notNull(),
  /** Polyline of the street's centre line on the map. */
  path: jsonb("path").$type<MapPoint[]>().notNull(),
  sort: smallint("sort").notNull().default(0),
});

export const grids = pgTable("grids", {
  id: serialId(),
  code: text("code").notNull().unique(),
  nameZh: text("name_zh").notNull(),
  nameEn: text("name_en").notNull(),
  colour: text("colour").notNull(),
  boundary: jsonb("boundary").$type<MapPoint[]>().notNull(),
});

export const microGrids = pgTable(
  "micro_grids",
  {
    id: serialId(),
    gridId: intRef("grid_id", () => grids.id),
    code: text("code").notNull().unique(),
    nameZh: text("name_zh").notNull(),
    nameEn: text("name_en").notNull(),
    boundary: jsonb("boundary").$type<MapPoint[]>().notNull(),
  },
  (t) => [index("micro_grids_grid_idx").on(t.gridId)],
);

/**
 * The people a resident can call about a micro-grid. Their phones are public by design:
 * the district posts them so residents can reach them.
 */
export const gridContacts = pgTable(
  "grid_contacts",
  {
    id: serialId(),
    microGridId: intRef("micro_grid_id", () => microGrids.id),
    role: text("role", { enum: ["leader", "worker"] }).notNull(),
    name: text("name").notNull(),
    phone: text("phone").notNull(),
    /** Set when the contact also has an account (a grid worker who mediates disputes). */
    userId: userRef("user_id"),
    sort: smallint("sort").notNull().default(0),
  },
  (t) => [index("grid_contacts_micro_grid_idx").on(t.microGridId)],
);

export const storefronts = pgTable(
  "storefronts",
  {
    id: serialId(),
    streetId: intRef("street_id", () => streets.id),
    number: text("number").notNull(),
    microGridId: intRef("micro_grid_id", () => microGrids.id),
    x: real("x").notNull(),
    y: real("y").notNull(),
  },
  (t) => [
    uniqueIndex("storefronts_street_number_uq").on(t.streetId, t.number),
    index("storefronts_micro_grid_idx").on(t.microGridId),
  ],
);

/** A numbered pitch in the day market (白) or the night market (黑). */
export const stalls = pgTable(
  "stalls",
  {
    id: serialId(),
    market: text("market", { enum: marketKinds }).notNull(),
    number: text("number").notNull(),
    streetId: intRef("street_id", () => streets.id),
    microGridId: intRef("micro_grid_id", () => microGrids.id),
    x: real("x").notNull(),
    y: real("y").notNull(),
  },
  (t) => [uniqueIndex("stalls_market_number_uq").on(t.market, t.number)],
);

export const categories = pgTable("categories", {
  code: text("code").primaryKey(),
  nameZh: text("name_zh").notNull(),
  nameEn: text("name_en").notNull(),
  sort: smallint("sort").notNull().default(0),
});

/** The community's own places: service hall, 爱心驿站, library, shared studios, the markets. */
export const places = pgTable("places", {
  id: serialId(),
  code: text("code").notNull().unique(),
  kind: text("kind", { enum: placeKinds }).notNull(),
  nameZh: text("name_zh").notNull(),
  nameEn: text("name_en").notNull(),
  addressZh: text("address_zh").notNull(),
  addressEn: text("address_en").notNull(),
  microGridId: integer("micro_grid_id").references(() => microGrids.id),
  x: real("x").notNull(),
  y: real("y").notNull(),
});

/**
 * A shop (in a storefront) or a stall (on a market pitch). Opening hours are minutes after
 * midnight, Asia/Shanghai; a closing minute below the opening minute means the hours cross midnight.
 */
/**
 * Each Chinese character's usual toneless reading (ü written v, as phone keyboards take it),
 * filled from pinyin-pro by the `pinyin_search` migration, so the search trigger can spell a
 * name in pinyin inside the database, whoever writes the name.
 */
export const hanziPinyin = pgTable("hanzi_pinyin", {
  ch: text("ch").primaryKey(),
  syllable: text("syllable").notNull(),
});

export const businesses = pgTable(
  "businesses",
  {
    id: serialId(),
    code: text("code").notNull().unique(),
    kind: text("kind", { enum: businessKinds }).notNull(),
    name: text("name").notNull(),
    categoryCode: text("category_code")
      .notNull()
      .references(() => categories.code),
    storefrontId: integer("storefront_id").references(() => storefronts.id),
    stallId: integer("stall_id").references(() => stalls.id),
    description: text("description").notNull().default(""),
    ownerName: text("owner_name").notNull().default(""),
    phone: text("phone"),
    phonePublic: boolean("phone_public").notNull().default(false),
    dayOpensAt: smallint("day_opens_at"),
    dayClosesAt: smallint("day_closes_at"),
    nightOpensAt: smallint("night_opens_at"),
    nightClosesAt: smallint("night_closes_at"),
    photoPath: text("photo_path"),
    /**
     * The visible reviews' count and the sum of their ratings, kept by app/domain/reviews in the
     * same transaction as each review, hiding or restoring (docs/decisions/021-reviews-that-cannot-be-bought.md).
     */
    ratingCount: integer("rating_count").notNull().default(0),
    ratingSum: integer("rating_sum").notNull().default(0),
    status: text("status", { enum: businessStatuses }).notNull().default("open"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    closedAt: at("closed_at"),
    /**
     * Maintained by a trigger (migrations `search_ngrams`, `pinyin_search`, 0028): the text a
     * search looks in (name, code, pinyin, category, street, description), lower-cased. Its one-
     * and two-character n-grams (`xq_ngrams`) are GIN-indexed as an expression, so that one- and
     * two-character Chinese terms are found through an index; they are not stored in the row,
     * which stays narrow (docs/decisions/039-search-n-grams-in-the-index-only.md).
     */
    searchText: text("search_text").notNull().default(""),
    /** Maintained by the same trigger: the name in toneless pinyin and its initials ("laowanghuimianguan lwhmg"). */
    namePinyin: text("name_pinyin").notNull().default(""),
  },
  (t) => [
    index("businesses_kind_idx").on(t.kind),
    index("businesses_category_idx").on(t.categoryCode),
    index("businesses_storefront_idx").on(t.storefrontId),
    index("businesses_stall_idx").on(t.stallId),
    index("businesses_search_ngrams_idx")
      .using("gin", sql`xq_ngrams(${t.searchText})`)
      .with({ fastupdate: false }),
    check(
      "businesses_place_matches_kind",
      sql`(${t.kind} = 'shop' and ${t.stallId} is null) or (${t.kind} = 'stall' and ${t.storefrontId} is null)`,
    ),
  ],
);

export const businessMembers = pgTable(
  "business_members",
  {
    businessId: intRef("business_id", () => businesses.id),
    userId: userRef("user_id").notNull(),
    role: text("role", { enum: memberRoles }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.businessId, t.userId] }), index("business_members_user_idx").on(t.userId)],
);

export const gridsRelations = relations(grids, ({ many }) => ({ microGrids: many(microGrids) }));
export const microGridsRelations = relations(microGrids, ({ one, many }) => ({
  grid: one(grids, { fields: [microGrids.gridId], references: [grids.id] }),
  contacts: many(gridContacts),
}));
export const gridContactsRelations = relations(gridContacts, ({ one }) => ({
  microGrid: one(microGrids, { fields: [gridContacts.microGridId], references: [microGrids.id] }),
}));
export const businessesRelations = relations(businesses, ({ one, many }) => ({
  storefront: one(storefronts, { fields: [businesses.storefrontId], references: [storefronts.id] }),
  stall: one(stalls, { fields: [businesses.stallId], references: [stalls.id] }),
  category: one(categories, { fields: [businesses.categoryCode], references: [categories.code] }),
  members: many(businessMembers),
}));
export const storefrontsRelations = relations(storefronts, ({ one }) => ({
  street: one(streets, { fields: [storefronts.streetId], references: [streets.id] }),
  microGrid: one(microGrids, { fields: [storefronts.microGridId], references: [microGrids.id] }),
}));
export const stallsRelations = relations(stalls, ({ one }) => ({
  street: one(streets, { fields: [stalls.streetId], references: [streets.id] }),
  microGrid: one(microGrids, { fields: [stalls.microGridId], references: [microGrids.id] }),
}));
export const businessMembersRelations = relations(businessMembers, ({ one }) => ({
  business: one(businesses, { fields: [businessMembers.businessId], references: [businesses.id] }),
  user: one(users, { fields: [businessMembers.userId], references: [users.id] }),
}));
export type { BusinessKind, MarketKind, MemberRole } from "./enums";
