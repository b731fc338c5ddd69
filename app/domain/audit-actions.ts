import type { zhCN } from "../i18n/messages/zh-CN";

/**
 * The audit log's areas, the filter on /admin/audit: each action code belongs to one.
 * `studio` holds the live studio and its chat.
 */
export const AUDIT_AREAS = [
  "accounts",
  "roster",
  "plaques",
  "alliance",
  "desk",
  "reviews",
  "market",
  "studio",
] as const;
export type AuditArea = (typeof AUDIT_AREAS)[number];

/**
 * Every action code the code base writes to the audit log, with its area. `recordAudit` takes
 * only these codes, so a new code does not compile until it is listed here; and it does not
 * compile either until `audit.actions` in app/i18n/messages/areas/audit.ts has its sentence
 * (the check at the end of this file). tests/unit/audit-actions.test.ts reads app/ for codes
 * written another way.
 */
export const AUDIT_ACTIONS = {
  "role.granted": "accounts",
  "role.revoked": "accounts",
  "account.password_changed": "accounts",
  "account.password_reset": "accounts",
  "account.phone_changed": "accounts",
  "business.claimed": "accounts",
  "claim_code.issued": "accounts",
  "claim_code.revoked": "accounts",

  "business.profile_updated": "roster",
  "business.photo_replaced": "roster",
  "business.added": "roster",
  "business.closed": "roster",
  "business.reopened": "roster",
  "business.moved": "roster",
  "business.roster_updated": "roster",
  "roster.imported": "roster",
  "roster.discarded": "roster",
  "roster.retention_set": "roster",
  "roster.uploads_purged": "roster",
  "gridContacts.updated": "roster",

  "plaque.roundOpened": "plaques",
  "plaque.nominated": "plaques",
  "plaque.recommended": "plaques",
  "plaque.awarded": "plaques",
  "plaque.declined": "plaques",
  "plaque.revoked": "plaques",

  "activity.created": "alliance",
  "activity.edited": "alliance",
  "activity.cancelled": "alliance",
  "activity.signedUp": "alliance",
  "activity.signUpWithdrawn": "alliance",
  "alliance.settingsChanged": "alliance",
  "election.created": "alliance",
  "election.edited": "alliance",
  "election.cancelled": "alliance",
  "election.nominated": "alliance",
  "election.withdrawn": "alliance",
  "election.votingOpened": "alliance",
  "election.counted": "alliance",
  "comment.created": "alliance",
  "comment.edited": "alliance",
  "announcement.posted": "alliance",
  "announcement.pinned": "alliance",
  "announcement.unpinned": "alliance",
  "announcement.edited": "alliance",
  "announcement.withdrawn": "alliance",
  "post.reported": "alliance",
  "post.autoHidden": "alliance",
  "post.hidden": "alliance",
  "post.restored": "alliance",
  "proposal.created": "alliance",
  "proposal.edited": "alliance",
  "proposal.published": "alliance",
  "proposal.votingOpened": "alliance",
  "proposal.adopted": "alliance",
  "proposal.rejected": "alliance",
  "proposal.followUp": "alliance",

  "feedback.given": "desk",
  "feedback.moved": "desk",
  "feedback.answered": "desk",
  "feedback.closed": "desk",
  "dispute.filed": "desk",
  "dispute.escalated": "desk",
  "dispute.closed": "desk",
  "dispute.withdrawalRequested": "desk",

  "review.written": "reviews",
  "review.replied": "reviews",
  "review.reported": "reviews",
  "review.hidden": "reviews",
  "review.kept": "reviews",

  "market.fee_set": "market",
  "market.account_created": "market",
  "order.placed": "market",
  "order.ready": "market",
  "order.picked_up": "market",
  "order.extended": "market",
  "order.cancelled": "market",
  "order.expired": "market",
  "order.paid": "market",
  "order.payment_failed": "market",
  "order.payment_mismatch": "market",
  "order.paid_after_cancel": "market",
  "order.refunded": "market",
  "product.created": "market",
  "product.updated": "market",
  "product.hidden": "market",
  "product.shown": "market",
  "product.photo_replaced": "market",

  "studio.book": "studio",
  "studio.cancel": "studio",
  "studio.cancelByOfficer": "studio",
  "studio.move": "studio",
  "studio.regenerateKey": "studio",
  "studio.setQuota": "studio",
  "studio.endShow": "studio",
  "chat.hide": "studio",
  "chat.mute": "studio",
  "chat.ban": "studio",
  "chat.slowMode": "studio",
  "chat.toFeedback": "studio",
  "chat.pin": "studio",
  "chat.unpin": "studio",
  "chat.pollOpen": "studio",
  "chat.pollClose": "studio",
} as const satisfies Record<string, AuditArea>;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

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
