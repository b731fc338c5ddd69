import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { maxFailedLogins, maxFailedLoginsPerIp, registerUser, signIn } from "~/domain/accounts/accounts.server";
import { registerSchema } from "~/domain/accounts/schemas";
import { openTestDatabase } from "../helpers/db";

/** Issue 17, item 6: the login throttle under parallel tries, spraying, and a stranger's failures. */
let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const db = () => database.db;
let counter = 0;
const newPhone = () => `1360000${String(++counter).padStart(4, "0")}`;
async function resident() {
  const input = registerSchema.parse({ phone: newPhone(), displayName: "节流测试", password: "correct horse" });
  await registerUser(db(), input, "zh-CN");
  return input;
}

/** How many tries reached the password check (a wrong password), and how many were refused before it. */
async function tally(tries: Promise<unknown>[]) {
  const outcomes = await Promise.allSettled(tries);
  const codes = outcomes.map((o) => (o.status === "rejected" ? (o.reason as { code: string }).code : "ok"));
  return {
    checked: codes.filter((c) => c === "errors.badCredentials" || c === "ok").length,
    refused: codes.filter((c) => c === "errors.tooManyAttempts" || c === "security.tooManyFromHere").length,
  };
}

describe("the login throttle", () => {
  it("checks at most five of 30 parallel wrong passwords for one phone", async () => {
    const { phone } = await resident();
    const now = new Date();
    const { checked, refused } = await tally(
      Array.from({ length: 30 }, () => signIn(db(), { phone, password: "wrong password" }, now, "203.0.113.7")),
    );
    console.info(`30 parallel wrong passwords for one phone: ${checked} checked, ${refused} refused`);
    expect(checked).toBeLessThanOrEqual(maxFailedLogins);
    expect(checked + refused).toBe(30);
  });

  it("does not lock the owner out over a stranger's wrong passwords", async () => {
    const owner = await resident();
    const now = new Date();
    for (let i = 0; i < maxFailedLogins + 3; i++)
      await signIn(db(), { phone: owner.phone, password: "guess" + i }, now, "198.51.100.9").catch(() => {});
    // The stranger's network is locked out of this phone...
    await expect(
      signIn(db(), { phone: owner.phone, password: owner.password }, now, "198.51.100.9"),
    ).rejects.toMatchObject({ code: "errors.tooManyAttempts", status: 429 });
    // ...the owner, from their own network, signs in.
    await expect(signIn(db(), { phone: owner.phone, password: owner.password }, now, "192.0.2.44")).resolves.toEqual({
      userId: expect.any(String),
    });
  });

  it("stops one network spraying a password across many phones", async () => {
    const now = new Date();
    const ip = "203.0.113.99";
    const phones = Array.from({ length: maxFailedLoginsPerIp + 5 }, newPhone);
    const { checked, refused } = await tally(
      phones.map((phone) => signIn(db(), { phone, password: "123456789" }, now, ip)),
    );
    expect(checked).toBeLessThanOrEqual(maxFailedLoginsPerIp);
    expect(refused).toBeGreaterThanOrEqual(5);
    // Another network is not affected.
    const { phone, password } = await resident();
    await expect(signIn(db(), { phone, password }, now, "192.0.2.45")).resolves.toBeTruthy();
  });
});
