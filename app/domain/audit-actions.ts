import type { zhCN } from "../i18n/messages/zh-CN";
import { reportableKinds } from "./vocabularies";

/** What the audit log's lines are about: each kind of subject /admin/audit knows how to name. */
export const AUDIT_SUBJECT_TYPES = [
  "user",
  "business",
  "activity",
  "announcement",
  "comment",
  "election",
  "proposal",
  "alliance",
  "plaque_round",
  "plaque_nomination",
  "award",
  "booking",
  "chat_message",
  "chat_poll",
  "feedback",
  "dispute",
  "order",
  "product",
  "review",
  "micro_grid",
  "roster_import",
  "platform",
] as const;
export type AuditSubjectType = (typeof AUDIT_SUBJECT_TYPES)[number];

/**
 * Every action code the code base writes to the audit log, by area (its keys are the areas, below),
 * with the kind of subject it is written about (a reported post is one of several kinds, the caller
 * names which). `recordAudit` takes only these codes and writes the subject type from here, so a new
 * code does not compile until it is listed here; and it does not compile either until
 * `audit.actions` in app/i18n/messages/areas/audit.ts has its sentence (the check at the end of
 * this file).
 * tests/unit/audit-actions.test.ts reads app/ for codes written another way.
 */
const AUDIT_REGISTRY = {
  accounts: {
    "role.granted": "user",
    "role.revoked": "user",
    "account.password_changed": "user",
    "account.password_reset": "user",
    "account.phone_changed": "user",
    "business.claimed": "business",
    "claim_code.issued": "business",
    "claim_code.revoked": "business",
  },
  roster: {
    "business.profile_updated": "business",
    "business.photo_replaced": "business",
    "business.added": "business",
    "business.closed": "business",
    "business.reopened": "business",
    "business.moved": "business",
    "business.roster_updated": "business",
    "roster.imported": "roster_import",
    "roster.discarded": "roster_import",
    "roster.retention_set": "platform",
    "roster.uploads_purged": "roster_import",
    "gridContacts.updated": "micro_grid",
  },
  plaques: {
    "plaque.roundOpened": "plaque_round",
    "plaque.nominated": "plaque_nomination",
    "plaque.recommended": "plaque_nomination",
    "plaque.awarded": "plaque_nomination",
    "plaque.declined": "plaque_nomination",
    "plaque.revoked": "award",
  },
  alliance: {
    "activity.created": "activity",
    "activity.edited": "activity",
    "activity.cancelled": "activity",
    "activity.signedUp": "activity",
    "activity.signUpWithdrawn": "activity",
    "alliance.settingsChanged": "alliance",
    "election.created": "election",
    "election.edited": "election",
    "election.cancelled": "election",
    "election.nominated": "election",
    "election.withdrawn": "election",
    "election.votingOpened": "election",
    "election.counted": "election",
    "comment.created": "comment",
    "comment.edited": "comment",
    "announcement.posted": "announcement",
    "announcement.pinned": "announcement",
    "announcement.unpinned": "announcement",
    "announcement.edited": "announcement",
    "announcement.withdrawn": "announcement",
    "post.reported": reportableKinds,
    "post.autoHidden": reportableKinds,
    "post.hidden": reportableKinds,
    "post.restored": reportableKinds,
    "proposal.created": "proposal",
    "proposal.edited": "proposal",
    "proposal.published": "proposal",
    "proposal.votingOpened": "proposal",
    "proposal.adopted": "proposal",
    "proposal.rejected": "proposal",
    "proposal.followUp": "proposal",
  },
  desk: {
    "feedback.given": "feedback",
    "feedback.moved": "feedback",
    "feedback.answered": "feedback",
    "feedback.closed": "feedback",
    "dispute.filed": "dispute",
    "dispute.escalated": "dispute",
    "dispute.closed": "dispute",
    "dispute.withdrawalRequested": "dispute",
  },
  reviews: {
    "review.written": "review",
    "review.replied": "review",
    "review.reported": "review",
    "review.hidden": "review",
    "review.kept": "review",
  },
  market: {
    "market.fee_set": "platform",
    "market.account_created": "business",
    "order.placed": "order",
    "order.ready": "order",
    "order.picked_up": "order",
    "order.extended": "order",
    "order.cancelled": "order",
    "order.expired": "order",
    "order.paid": "order",
    "order.payment_failed": "order",
    "order.payment_mismatch": "order",
    "order.paid_after_cancel": "order",
    "order.refunded": "order",
    "product.created": "product",
    "product.updated": "product",
    "product.hidden": "product",
    "product.shown": "product",
    "product.photo_replaced": "product",
  },
  studio: {
    "studio.book": "booking",
    "studio.cancel": "booking",
    "studio.cancelByOfficer": "booking",
    "studio.move": "booking",
    "studio.regenerateKey": "booking",
    "studio.setQuota": "business",
    "studio.endShow": "booking",
    "chat.hide": "chat_message",
    "chat.mute": "user",
    "chat.ban": "user",
    "chat.slowMode": "booking",
    "chat.toFeedback": "chat_message",
    "chat.pin": "booking",
    "chat.unpin": "booking",
    "chat.pollOpen": "chat_poll",
    "chat.pollClose": "chat_poll",
  },
} as const satisfies Record<string, Record<string, AuditSubjectType | readonly AuditSubjectType[]>>;
type Registry = typeof AUDIT_REGISTRY;

/**
 * The audit log's areas, the filter on /admin/audit, in the registry's order: each action code
 * belongs to one. `studio` holds the live studio and its chat.
 */
export type AuditArea = keyof Registry;
export const AUDIT_AREAS = Object.keys(AUDIT_REGISTRY) as readonly AuditArea[];

export type AuditAction = { [Area in AuditArea]: keyof Registry[Area] & string }[AuditArea];

/** The kind of subject an action is written about, or the kinds to choose from. */
export type AuditSubjectOf<Code extends AuditAction> = {
  [Area in AuditArea]: Code extends keyof Registry[Area] ? Registry[Area][Code] : never;
}[AuditArea];

const registered = Object.entries(AUDIT_REGISTRY).flatMap(([area, codes]) =>
  Object.entries(codes).map(([code, subject]) => ({ code, area: area as AuditArea, subject })),
);

/** Each action code's area. */
export const AUDIT_ACTIONS = Object.fromEntries(registered.map((r) => [r.code, r.area])) as Record<
  AuditAction,
  AuditArea
>;

/** Each action code's kind of subject (or kinds, for a reported post). */
export const AUDIT_SUBJECTS = Object.fromEntries(registered.map((r) => [r.code, r.subject])) as Record<
  AuditAction,
  AuditSubjectType | readonly AuditSubjectType[]
>;

export function isAuditAction(code: string): code is AuditAction {
  return Object.hasOwn(AUDIT_ACTIONS, code);
}

/** The codes of one area, for the area filter. */
export function auditActionsIn(area: AuditArea): AuditAction[] {
  return (Object.keys(AUDIT_ACTIONS) as AuditAction[]).filter((code) => AUDIT_ACTIONS[code] === area);
}

export function isAuditArea(value: string): value is AuditArea {
  return (AUDIT_AREAS as readonly string[]).includes(value);
}

// Compile-time check: every action code has its sentence under audit.actions (keyed by the part
// before the first dot, then the rest), and every area its name.
type ActionMessages = (typeof zhCN)["audit"]["actions"];
type Sentences = {
  [Head in keyof ActionMessages & string]: `${Head}.${keyof ActionMessages[Head] & string}`;
}[keyof ActionMessages & string];
type Missing = Exclude<AuditAction, Sentences>;
const everyActionHasASentence: [Missing] extends [never] ? true : { missingSentenceFor: Missing } = true;
type MissingArea = Exclude<AuditArea, keyof (typeof zhCN)["audit"]["areas"]>;
const everyAreaHasAName: [MissingArea] extends [never] ? true : { missingAreaName: MissingArea } = true;
void everyActionHasASentence;
void everyAreaHasAName;
