import type { User } from "~/domain/accounts/actor";
import type { RoleName } from "../../db/schema/enums";

/** A signed-in user for unit tests: `roles`, `memberships`, and `userId` as id and display name. */
export const testUser = (roles: RoleName[] = [], memberships: User["memberships"] = [], userId = "u"): User => ({
  userId,
  displayName: userId,
  phone: "13900000000",
  locale: "zh-CN",
  roles,
  memberships,
});
