import type { MemberRole, RoleName } from "../../../db/schema/enums";

/** Who is asking. `null` is a visitor who has not signed in. */
export interface User {
  userId: string;
  displayName: string;
  phone: string;
  locale: "zh-CN" | "en";
  roles: readonly RoleName[];
  memberships: readonly { businessId: number; role: MemberRole }[];
}

export type Actor = User | null;

export const isOfficer = (actor: Actor) =>
  !!actor?.roles.some((r) => r === "president" || r === "vice_president" || r === "moderator");

export const isStaff = (actor: Actor) =>
  !!actor?.roles.some((r) => r === "admin" || r === "mediator" || r === "grid_worker");

export const isAdmin = (actor: Actor) => !!actor?.roles.includes("admin");

export const memberRoleIn = (actor: Actor, businessId: number): MemberRole | undefined =>
  actor?.memberships.find((m) => m.businessId === businessId)?.role;

/** A member of the merchants' alliance: the owner of at least one business. */
export const isAllianceMember = (actor: Actor) => !!actor?.memberships.some((m) => m.role === "owner");

/** The businesses this actor may act for in the alliance (those it owns). */
export const ownedBusinessIds = (actor: Actor): number[] =>
  actor?.memberships.filter((m) => m.role === "owner").map((m) => m.businessId) ?? [];
