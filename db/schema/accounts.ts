import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from "drizzle-orm/pg-core";
import { at, createdAt } from "./columns";
import { relations } from "drizzle-orm";
import { locales, roleNames } from "./enums";

export const users = pgTable("users", {
  id: text("id").primaryKey(),
  phone: text("phone").notNull().unique(),
  displayName: text("display_name").notNull(),
  passwordHash: text("password_hash").notNull(),
  locale: text("locale", { enum: locales }).notNull().default("zh-CN"),
  createdAt: createdAt(),
  /**
   * When the owner last proved the phone is theirs with an SMS code (registration, reset, change of
   * number). Null for accounts made before SMS codes existed (docs/decisions/017-sms-codes.md).
   */
  phoneVerifiedAt: at("phone_verified_at"),
});

/** lucia v3 sessions: the cookie holds only this id, so a session can be revoked. */
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The earlier of 30 days after `lastSeenAt` and 90 days after `createdAt`. */
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
    createdAt: createdAt(),
    /** Moved forward at most every few minutes, as requests arrive. */
    lastSeenAt: at("last_seen_at").notNull().defaultNow(),
    /** The browser's User-Agent at sign-in (cut to 300 characters), to tell sessions apart. */
    userAgent: text("user_agent"),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const smsPurposes = ["register", "reset", "change_phone"] as const;
export type SmsPurpose = (typeof smsPurposes)[number];

/**
 * SMS codes sent. Only a salted hash of the code is kept. A row counts towards the resend and
 * daily limits whether or not the provider took it; only the newest live row of a phone and
 * purpose can be used.
 */
export const smsCodes = pgTable(
  "sms_codes",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    phone: text("phone").notNull(),
    purpose: text("purpose", { enum: smsPurposes }).notNull(),
    codeHash: text("code_hash").notNull(),
    salt: text("salt").notNull(),
    /** The client address that asked for it (daily cap per address). */
    ip: text("ip").notNull(),
    /** For a change of number: the account whose number changes. */
    userId: text("user_id").references(() => users.id, { onDelete: "cascade" }),
    createdAt: at("created_at").notNull(),
    expiresAt: at("expires_at").notNull(),
    attempts: integer("attempts").notNull().default(0),
    /** Used, replaced by a newer code, or never delivered: no longer accepted. */
    usedAt: at("used_at"),
    supersededAt: at("superseded_at"),
    failedAt: at("failed_at"),
    /** The provider's id for the message (Aliyun's BizId), or its error code. */
    providerRef: text("provider_ref"),
  },
  (t) => [
    index("sms_codes_phone_created_idx").on(t.phone, t.createdAt),
    index("sms_codes_ip_created_idx").on(t.ip, t.createdAt),
  ],
);

/**
 * Officer and staff roles. "Resident" is every account; "merchant" comes from business_members.
 */

export const userRoles = pgTable(
  "user_roles",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: roleNames }).notNull(),
    grantedBy: text("granted_by").references(() => users.id),
    grantedAt: at("granted_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.role] })],
);

/** Every failed or successful sign-in, kept to refuse brute force per phone number. */
export const loginAttempts = pgTable(
  "login_attempts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    phone: text("phone").notNull(),
    /** The client's address, so one network's failures lock only that phone from that network. */
    ip: text("ip").notNull().default(""),
    succeeded: boolean("succeeded").notNull(),
    at: at("at").notNull().defaultNow(),
  },
  (t) => [index("login_attempts_phone_at_idx").on(t.phone, t.at), index("login_attempts_ip_at_idx").on(t.ip, t.at)],
);

export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    actorId: text("actor_id").references(() => users.id),
    action: text("action").notNull(),
    subjectType: text("subject_type").notNull(),
    subjectId: text("subject_id").notNull(),
    before: jsonb("before"),
    after: jsonb("after"),
    at: at("at").notNull().defaultNow(),
  },
  (t) => [index("audit_log_subject_idx").on(t.subjectType, t.subjectId), index("audit_log_at_idx").on(t.at)],
);

/** The in-app inbox. `kind` names a message in app/i18n; `params` fill it in. */
export const notifications = pgTable(
  "notifications",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    params: jsonb("params").$type<Record<string, string | number>>().notNull().default({}),
    link: text("link"),
    createdAt: createdAt(),
    readAt: at("read_at"),
  },
  (t) => [index("notifications_user_created_idx").on(t.userId, t.createdAt)],
);

/** Small key/value facts about the database itself (which seed it holds). */
export const appMeta = pgTable("app_meta", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

export const usersRelations = relations(users, ({ many }) => ({
  roles: many(userRoles),
  sessions: many(sessions),
}));
export const userRolesRelations = relations(userRoles, ({ one }) => ({
  user: one(users, { fields: [userRoles.userId], references: [users.id] }),
}));
export type { Locale, RoleName } from "./enums";

/**
 * Version counters that triggers bump on every write to the tables behind a cached view (see the
 * migration `cache_versions`). A process may keep a derived copy in memory while the counter is
 * unchanged, so every process sees a write at once.
 */
export const cacheVersions = pgTable("cache_versions", {
  name: text("name").primaryKey(),
  version: bigint("version", { mode: "number" }).notNull().default(0),
});
