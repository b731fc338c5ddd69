import { forbidden } from "../errors";
import { isAdmin, isAllianceMember, isOfficer, isStaff, memberRoleIn, type Actor, type User } from "./actor";

/**
 * Everything a person may ask to do. One function answers "may this actor do this to that";
 * every route and socket handler asks it, through the domain functions.
 */
export type Permission =
  | { action: "account.use" }
  | { action: "business.claim" }
  | { action: "business.edit"; businessId: number }
  | { action: "claimCode.manage" }
  | { action: "role.manage" }
  | { action: "audit.read" }
  | { action: "admin.enter" }
  | { action: "plaque.print" }
  /** The yearly plaque selection: staff open rounds, review (award or decline) and revoke. */
  | { action: "plaque.openRound" }
  /** Officers and staff nominate any business; a merchant only its own. */
  | { action: "plaque.nominate"; businessId: number }
  | { action: "plaque.review" }
  | { action: "plaque.revoke" }
  /** Every nomination of a round, with its reason and status: staff and officers. */
  | { action: "plaque.seeNominations" }
  /** Add, edit, hide a business's products; work its order board; connect its Stripe account. */
  | { action: "product.manage"; businessId: number }
  /** See one order: its shopper, the business's members, staff. */
  | { action: "order.view"; shopperId: string; businessId: number }
  | { action: "market.configure" }
  /** Acting for a member business of the alliance: only through its owner's account. */
  | { action: "alliance.actFor"; businessId: number }
  | { action: "alliance.comment" }
  | { action: "alliance.report" }
  | { action: "alliance.editPost"; authorId: string }
  | { action: "alliance.openVoting"; authorId: string }
  | { action: "alliance.followUp" }
  | { action: "alliance.announce" }
  | { action: "alliance.moderate" }
  | { action: "alliance.appointModerator" }
  | { action: "alliance.manageElections" }
  | { action: "alliance.manageActivities" }
  | { action: "alliance.seeHidden"; authorId?: string }
  | { action: "roster.manage" }
  | { action: "gridContacts.manage" }
  | { action: "studio.book"; businessId: number }
  | { action: "studio.cancelOwn"; businessId: number }
  | { action: "studio.streamKey"; businessId: number }
  | { action: "studio.manage" }
  | { action: "studio.setQuota" }
  /** Post in a stream's live chat: any signed-in account (moderation refusals come in phase 2). */
  | { action: "chat.post"; businessId: number }
  /** Hide messages, mute and ban, slow mode, messages into feedback: the streaming business's members, officers, staff. */
  | { action: "chat.moderate"; businessId: number }
  /** Pin one of the business's products above its stream's chat: the streaming business's members. */
  | { action: "chat.pin"; businessId: number }
  /** Officers and staff triage feedback and read the desk's statistics. */
  | { action: "desk.triage" }
  | { action: "desk.stats" }
  /**
   * Answer feedback publicly: the desk (officers and staff not of the business concerned), or the
   * business's own people once the desk has sent the item to them.
   */
  | { action: "feedback.answer"; businessId: number | null; sentToMerchant: boolean }
  /** Parties, the assigned mediator, officers and staff see a dispute; nobody else learns it exists. */
  | {
      action: "dispute.view";
      filerId: string;
      respondentUserId: string | null;
      respondentBusinessId: number | null;
      assigneeId: string | null;
    }
  /**
   * Mediate (notes, agreement, escalate, close): the assignee, or while nobody is assigned a
   * mediator or administrator; never someone conflicted (a party, or of the business concerned).
   */
  | { action: "dispute.mediate"; assigneeId: string | null; conflicted: boolean }
  /**
   * Review a business (its picked-up order or closed dispute is checked by app/domain/reviews):
   * anyone signed in who is not of that business (docs/decisions/021-reviews-that-cannot-be-bought.md).
   */
  | { action: "review.write"; businessId: number }
  /** Reply to a review of the business, once: its owner and staff. */
  | { action: "review.reply"; businessId: number }
  | { action: "review.report" }
  /** Keep or hide a reported review: officers and staff, never the reviewer or one of the business. */
  | { action: "review.moderate"; conflicted: boolean };

export function can(actor: Actor, permission: Permission): boolean {
  if (!actor) return false;
  switch (permission.action) {
    case "account.use":
    case "business.claim":
      return true;
    case "business.edit":
      return memberRoleIn(actor, permission.businessId) !== undefined || isAdmin(actor);
    case "claimCode.manage":
    case "role.manage":
      return isAdmin(actor);
    case "audit.read":
      return isAdmin(actor);
    case "admin.enter":
      return isStaff(actor) || isOfficer(actor);
    case "roster.manage":
    case "gridContacts.manage":
      return isAdmin(actor);
    case "plaque.print":
    case "plaque.openRound":
    case "plaque.revoke":
      return isStaff(actor);
    // Reviewing and confirming awards: the party branch's administrators and the mediation team,
    // not grid workers (docs/decisions/012-two-staff-plaque-awards.md).
    case "plaque.review":
      return isAdmin(actor) || actor.roles.includes("mediator");
    case "plaque.nominate":
      return isOfficer(actor) || isStaff(actor) || memberRoleIn(actor, permission.businessId) !== undefined;
    case "plaque.seeNominations":
      return isOfficer(actor) || isStaff(actor);
    case "product.manage":
      return memberRoleIn(actor, permission.businessId) !== undefined || isAdmin(actor);
    case "order.view":
      return (
        permission.shopperId === actor.userId ||
        memberRoleIn(actor, permission.businessId) !== undefined ||
        isStaff(actor)
      );
    case "market.configure":
      return isAdmin(actor);
    case "alliance.actFor":
      return memberRoleIn(actor, permission.businessId) === "owner";
    case "alliance.comment":
    case "alliance.report":
      return isAllianceMember(actor) || isOfficer(actor) || isStaff(actor);
    case "alliance.editPost":
      return permission.authorId === actor.userId;
    case "alliance.openVoting":
      return permission.authorId === actor.userId || isOfficer(actor);
    case "alliance.followUp":
    case "alliance.announce":
    case "alliance.moderate":
    case "alliance.manageActivities":
      return isOfficer(actor) || isStaff(actor);
    case "alliance.appointModerator":
      return actor.roles.includes("president") || actor.roles.includes("vice_president") || isAdmin(actor);
    case "alliance.manageElections":
      return isAdmin(actor);
    case "alliance.seeHidden":
      return isOfficer(actor) || isStaff(actor) || permission.authorId === actor.userId;
    // A business books the studio through its owner or staff, and only they see its stream keys.
    case "studio.book":
    case "studio.cancelOwn":
    case "studio.streamKey":
      return memberRoleIn(actor, permission.businessId) !== undefined;
    // Officers of the alliance run the studio's calendar: they cancel or move any booking.
    case "studio.manage":
      return isOfficer(actor);
    case "studio.setQuota":
      return isStaff(actor);
    case "chat.post":
      return true;
    case "chat.pin":
      return memberRoleIn(actor, permission.businessId) !== undefined;
    case "chat.moderate":
      return memberRoleIn(actor, permission.businessId) !== undefined || isOfficer(actor) || isStaff(actor);
    case "desk.triage":
    case "desk.stats":
      return isOfficer(actor) || isStaff(actor);
    case "feedback.answer":
      if (permission.businessId !== null && memberRoleIn(actor, permission.businessId) !== undefined)
        return permission.sentToMerchant;
      return isOfficer(actor) || isStaff(actor);
    case "dispute.view":
      return (
        isOfficer(actor) ||
        isStaff(actor) ||
        permission.filerId === actor.userId ||
        permission.respondentUserId === actor.userId ||
        permission.assigneeId === actor.userId ||
        (permission.respondentBusinessId !== null && memberRoleIn(actor, permission.respondentBusinessId) !== undefined)
      );
    case "review.write":
      return memberRoleIn(actor, permission.businessId) === undefined;
    case "review.reply":
      return memberRoleIn(actor, permission.businessId) !== undefined;
    case "review.report":
      return true;
    case "review.moderate":
      return !permission.conflicted && (isOfficer(actor) || isStaff(actor));
    case "dispute.mediate":
      if (permission.conflicted) return false;
      if (permission.assigneeId !== null) return permission.assigneeId === actor.userId;
      return actor.roles.includes("mediator") || isAdmin(actor);
  }
}

/** Throws a 403 DomainError unless `can` says yes; narrows the actor to a signed-in user. */
export function assertCan(actor: Actor, permission: Permission): asserts actor is User {
  if (!can(actor, permission)) throw forbidden();
}
