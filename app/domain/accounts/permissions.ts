import { forbidden } from "../errors";
import { isAdmin, isOfficer, isStaff, memberRoleIn, type Actor, type User } from "./actor";

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
  | { action: "plaque.print" };

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
    case "plaque.print":
      return isStaff(actor);
  }
}

/** Throws a 403 DomainError unless `can` says yes; narrows the actor to a signed-in user. */
export function assertCan(actor: Actor, permission: Permission): asserts actor is User {
  if (!can(actor, permission)) throw forbidden();
}
