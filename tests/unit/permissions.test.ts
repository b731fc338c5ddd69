import { describe, expect, it } from "vitest";
import type { User } from "~/domain/accounts/actor";
import { assertCan, can } from "~/domain/accounts/permissions";
import type { RoleName } from "../../db/schema/enums";
import { testUser } from "../helpers/user";

const user = (roles?: RoleName[], memberships?: User["memberships"]) => testUser(roles, memberships);

describe("who may do what", () => {
  it("refuses visitors everything", () => {
    expect(can(null, { action: "business.claim" })).toBe(false);
    expect(can(null, { action: "business.edit", businessId: 1 })).toBe(false);
    expect(() => assertCan(null, { action: "account.use" })).toThrowError(expect.objectContaining({ status: 403 }));
  });
  it("lets owners and staff of a business edit that business only", () => {
    const owner = user([], [{ businessId: 7, role: "owner" }]);
    const staff = user([], [{ businessId: 8, role: "staff" }]);
    expect(can(owner, { action: "business.edit", businessId: 7 })).toBe(true);
    expect(can(owner, { action: "business.edit", businessId: 8 })).toBe(false);
    expect(can(staff, { action: "business.edit", businessId: 8 })).toBe(true);
    expect(can(user(), { action: "business.edit", businessId: 7 })).toBe(false);
  });
  it("keeps claim codes, roles, the audit log, the roster and grid contacts to community administrators", () => {
    for (const action of [
      "claimCode.manage",
      "role.manage",
      "audit.read",
      "roster.manage",
      "gridContacts.manage",
    ] as const) {
      expect(can(user(["admin"]), { action })).toBe(true);
      for (const role of ["president", "vice_president", "moderator", "mediator", "grid_worker"] as const) {
        expect(can(user([role]), { action })).toBe(false);
      }
      expect(can(user(), { action })).toBe(false);
    }
  });
  it("lets staff run the plaque selection; officers nominate any business, a merchant only its own", () => {
    for (const action of ["plaque.openRound", "plaque.review", "plaque.revoke"] as const) {
      for (const role of ["admin", "mediator", "grid_worker"] as const)
        // Grid workers do not review awards (docs/decisions/012-two-staff-plaque-awards.md).
        expect(can(user([role]), { action })).toBe(!(action === "plaque.review" && role === "grid_worker"));
      for (const role of ["president", "vice_president", "moderator"] as const)
        expect(can(user([role]), { action })).toBe(false);
      expect(can(user([], [{ businessId: 7, role: "owner" }]), { action })).toBe(false);
      expect(can(null, { action })).toBe(false);
    }
    const merchant = user([], [{ businessId: 7, role: "staff" }]);
    expect(can(merchant, { action: "plaque.nominate", businessId: 7 })).toBe(true);
    expect(can(merchant, { action: "plaque.nominate", businessId: 8 })).toBe(false);
    expect(can(user(["moderator"]), { action: "plaque.nominate", businessId: 8 })).toBe(true);
    expect(can(user(["grid_worker"]), { action: "plaque.nominate", businessId: 8 })).toBe(true);
    expect(can(user(), { action: "plaque.nominate", businessId: 8 })).toBe(false);
    expect(can(null, { action: "plaque.nominate", businessId: 8 })).toBe(false);
    expect(can(user(["president"]), { action: "plaque.seeNominations" })).toBe(true);
    expect(can(merchant, { action: "plaque.seeNominations" })).toBe(false);
  });
  it("opens the admin area to staff and officers, not residents", () => {
    expect(can(user(["mediator"]), { action: "admin.enter" })).toBe(true);
    expect(can(user(["president"]), { action: "admin.enter" })).toBe(true);
    expect(can(user(), { action: "admin.enter" })).toBe(false);
  });

  it("lets a business act in the alliance only through its owner", () => {
    const owner = user([], [{ businessId: 7, role: "owner" }]);
    const clerk = user([], [{ businessId: 7, role: "staff" }]);
    expect(can(owner, { action: "alliance.actFor", businessId: 7 })).toBe(true);
    expect(can(owner, { action: "alliance.actFor", businessId: 8 })).toBe(false);
    expect(can(clerk, { action: "alliance.actFor", businessId: 7 })).toBe(false);
    expect(can(user(["admin"]), { action: "alliance.actFor", businessId: 7 })).toBe(false);
    expect(can(null, { action: "alliance.actFor", businessId: 7 })).toBe(false);
  });
  it("keeps moderation to officers and staff, and elections to administrators", () => {
    const resident = user();
    const merchant = user([], [{ businessId: 7, role: "owner" }]);
    for (const who of [resident, merchant]) {
      expect(can(who, { action: "alliance.moderate" })).toBe(false);
      expect(can(who, { action: "alliance.announce" })).toBe(false);
    }
    expect(can(resident, { action: "alliance.report" })).toBe(false);
    expect(can(merchant, { action: "alliance.report" })).toBe(true);
    expect(can(user(["moderator"]), { action: "alliance.moderate" })).toBe(true);
    expect(can(user(["moderator"]), { action: "alliance.appointModerator" })).toBe(false);
    expect(can(user(["vice_president"]), { action: "alliance.appointModerator" })).toBe(true);
    expect(can(user(["president"]), { action: "alliance.manageElections" })).toBe(false);
    expect(can(user(["admin"]), { action: "alliance.manageElections" })).toBe(true);
  });
  it("keeps the desk to officers and staff, and a dispute to its parties, its mediator, officers and staff", () => {
    for (const action of ["desk.triage", "desk.stats"] as const) {
      for (const role of ["president", "vice_president", "moderator", "admin", "mediator", "grid_worker"] as const)
        expect(can(user([role]), { action })).toBe(true);
      expect(can(user([], [{ businessId: 1, role: "owner" }]), { action })).toBe(false);
      expect(can(null, { action })).toBe(false);
    }
    const dispute = {
      filerId: "filer",
      respondentUserId: null,
      respondentBusinessId: 7,
      assigneeId: "worker",
    } as const;
    const as = (userId: string, roles: RoleName[] = [], memberships: User["memberships"] = []) => ({
      ...user(roles, memberships),
      userId,
    });
    expect(can(as("filer"), { action: "dispute.view", ...dispute })).toBe(true);
    expect(can(as("worker"), { action: "dispute.view", ...dispute })).toBe(true);
    expect(can(as("clerk", [], [{ businessId: 7, role: "staff" }]), { action: "dispute.view", ...dispute })).toBe(true);
    expect(can(as("mod", ["moderator"]), { action: "dispute.view", ...dispute })).toBe(true);
    expect(can(as("other", [], [{ businessId: 8, role: "owner" }]), { action: "dispute.view", ...dispute })).toBe(
      false,
    );
    expect(can(null, { action: "dispute.view", ...dispute })).toBe(false);
    expect(can(as("worker"), { action: "dispute.mediate", assigneeId: "worker", conflicted: false })).toBe(true);
    expect(can(as("worker"), { action: "dispute.mediate", assigneeId: "worker", conflicted: true })).toBe(false);
    expect(can(as("filer"), { action: "dispute.mediate", assigneeId: "worker", conflicted: false })).toBe(false);
    // Another officer or staff member does not mediate a dispute assigned to someone else.
    expect(can(as("mod", ["moderator"]), { action: "dispute.mediate", assigneeId: "worker", conflicted: false })).toBe(
      false,
    );
    expect(can(as("med", ["mediator"]), { action: "dispute.mediate", assigneeId: null, conflicted: false })).toBe(true);
    const owner7 = as("owner7", [], [{ businessId: 7, role: "owner" }]);
    expect(can(owner7, { action: "feedback.answer", businessId: 7, sentToMerchant: true })).toBe(true);
    expect(can(owner7, { action: "feedback.answer", businessId: 7, sentToMerchant: false })).toBe(false);
    expect(can(owner7, { action: "feedback.answer", businessId: 8, sentToMerchant: true })).toBe(false);
    expect(can(owner7, { action: "feedback.answer", businessId: null, sentToMerchant: false })).toBe(false);
    // An officer who owns the business answers it only as its merchant, once the desk sent it.
    const presidentOwner = as("pres", ["president"], [{ businessId: 7, role: "owner" }]);
    expect(can(presidentOwner, { action: "feedback.answer", businessId: 7, sentToMerchant: false })).toBe(false);
    expect(can(presidentOwner, { action: "feedback.answer", businessId: 8, sentToMerchant: false })).toBe(true);
  });
});
