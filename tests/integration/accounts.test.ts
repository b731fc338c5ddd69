import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  auditLog,
  businessMembers,
  businesses,
  claimCodes,
  loginAttempts,
  notifications,
  userRoles,
  users,
} from "../../db/schema";
import { DEMO_PASSWORD, DEMO_USERS } from "../../db/seed/demo";
import { registerUser, signIn } from "~/domain/accounts/accounts.server";
import { claimBusiness, issueClaimCode, revokeClaimCode } from "~/domain/accounts/claims.server";
import { grantRole, revokeRole } from "~/domain/accounts/roles.server";
import { registerSchema } from "~/domain/accounts/schemas";
import { testClock, useTestDatabase } from "../helpers/kit";

const { db, actor, demo, demos, rows, registerResident: newResident } = useTestDatabase();

describe("registration", () => {
  it("creates an account with an argon2id hash and a welcome notice", async () => {
    const resident = await newResident();
    const [user] = await db().select().from(users).where(eq(users.id, resident.userId));
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(user.passwordHash).not.toContain("correct horse");
    expect(await rows(notifications, eq(notifications.userId, resident.userId))).toBe(1);
  });

  it("refuses a phone that is already registered and writes nothing", async () => {
    const before = await rows(users);
    const input = registerSchema.parse({ phone: DEMO_USERS.resident.phone, displayName: "冒名", password: "12345678" });
    await expect(registerUser(db(), input, "zh-CN")).rejects.toMatchObject({
      code: "errors.phoneTaken",
      field: "phone",
    });
    expect(await rows(users)).toBe(before);
  });
});

describe("signing in", () => {
  it("accepts the demo accounts' password", async () => {
    const { userId } = await signIn(db(), { phone: DEMO_USERS.resident.phone, password: DEMO_PASSWORD });
    expect(userId).toBe(DEMO_USERS.resident.id);
  });

  it("gives the same answer for a wrong password and an unknown phone", async () => {
    const wrong = signIn(db(), { phone: DEMO_USERS.resident.phone, password: "wrong password" });
    const unknown = signIn(db(), { phone: "13999999999", password: "whatever1" });
    // Both are awaited together: whichever is refused first is handled at once (no unhandled rejection).
    await Promise.all([
      expect(wrong).rejects.toMatchObject({ code: "errors.badCredentials", status: 400 }),
      expect(unknown).rejects.toMatchObject({ code: "errors.badCredentials", status: 400 }),
    ]);
  });

  it("refuses a phone after 5 failures in 15 minutes, even with the right password, and lets it in later", async () => {
    const resident = await newResident();
    const at = testClock("2026-11-29T10:00:00Z").plusMinutes;
    for (let i = 0; i < 5; i++) {
      await expect(signIn(db(), { phone: resident.phone, password: "nope-nope" }, at(i))).rejects.toMatchObject({
        code: "errors.badCredentials",
      });
    }
    const attemptsBefore = await rows(loginAttempts, eq(loginAttempts.phone, resident.phone));
    await expect(signIn(db(), { phone: resident.phone, password: "correct horse" }, at(6))).rejects.toMatchObject({
      code: "errors.tooManyAttempts",
      status: 429,
    });
    expect(await rows(loginAttempts, eq(loginAttempts.phone, resident.phone))).toBe(attemptsBefore);
    // Another phone is not affected.
    await expect(
      signIn(db(), { phone: DEMO_USERS.resident.phone, password: DEMO_PASSWORD }, at(6)),
    ).resolves.toBeTruthy();
    // Once the first failure is older than 15 minutes, four remain: the right password works again.
    await expect(signIn(db(), { phone: resident.phone, password: "correct horse" }, at(15.5))).resolves.toMatchObject({
      userId: resident.userId,
    });
  });

  it("starts counting afresh after a successful login", async () => {
    const resident = await newResident();
    const at = testClock("2026-11-29T12:00:00Z").plusMinutes;
    for (let i = 0; i < 4; i++)
      await signIn(db(), { phone: resident.phone, password: "nope-nope" }, at(i)).catch(() => {});
    await signIn(db(), { phone: resident.phone, password: "correct horse" }, at(4));
    for (let i = 0; i < 4; i++)
      await signIn(db(), { phone: resident.phone, password: "nope-nope" }, at(5 + i)).catch(() => {});
    await expect(signIn(db(), { phone: resident.phone, password: "correct horse" }, at(10))).resolves.toBeTruthy();
  });
});

describe("claiming a business", () => {
  const admin = () => demo("admin");

  it("makes the holder of a fresh code the owner, once, with an audit line and a notice", async () => {
    const resident = await newResident("新店主");
    const { code, business } = await issueClaimCode(db(), await admin(), "S0100");
    const claimed = await claimBusiness(db(), await actor(resident.userId), code.toLowerCase().replace(/-/g, " "));
    expect(claimed.id).toBe(business.id);
    const [membership] = await db()
      .select()
      .from(businessMembers)
      .where(and(eq(businessMembers.businessId, business.id), eq(businessMembers.userId, resident.userId)));
    expect(membership.role).toBe("owner");
    expect(
      await rows(auditLog, and(eq(auditLog.action, "business.claimed"), eq(auditLog.actorId, resident.userId))),
    ).toBe(1);
    expect(
      await rows(
        notifications,
        and(eq(notifications.userId, resident.userId), eq(notifications.kind, "claim.completed")),
      ),
    ).toBe(1);

    const other = await newResident();
    const membersBefore = await rows(businessMembers);
    await expect(claimBusiness(db(), await actor(other.userId), code)).rejects.toMatchObject({
      code: "errors.claimCodeUsed",
    });
    expect(await rows(businessMembers)).toBe(membersBefore);
  });

  it("refuses unknown and revoked codes, and visitors, writing nothing", async () => {
    const resident = await newResident();
    const membersBefore = await rows(businessMembers);
    const auditBefore = await rows(auditLog);
    await expect(claimBusiness(db(), await actor(resident.userId), "NOPE-NOPE-NOPE")).rejects.toMatchObject({
      code: "errors.claimCodeUnknown",
      field: "code",
    });
    const { code, claimCodeId } = await issueClaimCode(db(), await admin(), "S0101");
    await revokeClaimCode(db(), await admin(), claimCodeId);
    await expect(claimBusiness(db(), await actor(resident.userId), code)).rejects.toMatchObject({
      code: "errors.claimCodeUsed",
    });
    await expect(claimBusiness(db(), null, code)).rejects.toMatchObject({ status: 403 });
    expect(await rows(businessMembers)).toBe(membersBefore);
    expect(await rows(auditLog)).toBe(auditBefore + 2); // the issue and the revocation, nothing else
  });

  it("lets only administrators issue and revoke codes", async () => {
    const before = await rows(claimCodes);
    for (const who of await demos("resident", "shopOwner", "president", "mediator")) {
      await expect(issueClaimCode(db(), who, "S0102")).rejects.toMatchObject({ status: 403 });
    }
    await expect(issueClaimCode(db(), null, "S0102")).rejects.toMatchObject({ status: 403 });
    await expect(issueClaimCode(db(), await admin(), "X9999")).rejects.toMatchObject({
      code: "errors.businessUnknown",
    });
    expect(await rows(claimCodes)).toBe(before);
  });

  it("lets nobody claim with one code twice even when racing", async () => {
    const { code } = await issueClaimCode(db(), await admin(), "S0103");
    const racers = await Promise.all(Array.from({ length: 5 }, () => newResident()));
    const outcomes = await Promise.allSettled(
      racers.map(async (r) => claimBusiness(db(), await actor(r.userId), code)),
    );
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const [business] = await db().select({ id: businesses.id }).from(businesses).where(eq(businesses.code, "S0103"));
    expect(await rows(businessMembers, eq(businessMembers.businessId, business.id))).toBe(1);
  });
});

describe("roles", () => {
  it("lets an administrator grant and revoke, with audit lines and notices", async () => {
    const resident = await newResident();
    const admin = await demo("admin");
    await grantRole(db(), admin, resident.phone, "moderator");
    expect((await actor(resident.userId)).roles).toEqual(["moderator"]);
    await revokeRole(db(), admin, resident.userId, "moderator");
    expect((await actor(resident.userId)).roles).toEqual([]);
    const lines = await db().select().from(auditLog).where(eq(auditLog.subjectId, resident.userId));
    expect(lines.map((l) => l.action).sort()).toEqual(["role.granted", "role.revoked"]);
    expect(await rows(notifications, eq(notifications.userId, resident.userId))).toBe(3); // welcome, granted, revoked
  });

  it("refuses everyone else and changes nothing", async () => {
    const resident = await newResident();
    const rolesBefore = await rows(userRoles);
    for (const who of await demos("resident", "president", "mediator", "gridWorker")) {
      await expect(grantRole(db(), who, resident.phone, "admin")).rejects.toMatchObject({ status: 403 });
      await expect(revokeRole(db(), who, DEMO_USERS.admin.id, "admin")).rejects.toMatchObject({
        status: 403,
      });
    }
    expect(await rows(userRoles)).toBe(rolesBefore);
  });
});
