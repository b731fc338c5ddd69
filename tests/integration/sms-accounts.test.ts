import { and, count, eq, type SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { sessions, smsCodes, users } from "../../db/schema";
import { DEMO_PASSWORD, DEMO_USERS } from "../../db/seed/demo";
import { loadUser, registerUser, signIn } from "~/domain/accounts/accounts.server";
import { registerSchema } from "~/domain/accounts/schemas";
import {
  changePassword,
  changePhoneWithCode,
  endOtherSessions,
  endSession,
  listMySessions,
  registerWithCode,
  resetPasswordWithCode,
  sessionRules,
  startSession,
  validateSession,
} from "~/domain/accounts/security.server";
import {
  sendPhoneChangeCode,
  sendRegistrationCode,
  sendResetCode,
  smsRules,
  type SmsDeps,
} from "~/domain/accounts/sms-codes.server";
import { createI18n, loadLocale } from "~/i18n/i18n";
import { AliyunSmsSender, SmsOutbox } from "~/lib/sms.server";
import { startAliyunSmsStub, type AliyunSmsStub } from "../helpers/aliyun-sms-stub";
import { openTestDatabase } from "../helpers/db";

let database: Database;
let stub: AliyunSmsStub;
let aliyun: SmsDeps;
beforeAll(async () => {
  await loadLocale("en");
  database = await openTestDatabase();
  stub = await startAliyunSmsStub();
  aliyun = {
    sender: new AliyunSmsSender({
      accessKeyId: stub.accessKeyId,
      accessKeySecret: stub.accessKeySecret,
      signName: stub.signName,
      templateCode: stub.templateCode,
      endpoint: stub.url,
    }),
    limits: { perPhonePerDay: 10, perIpPerDay: 30 },
  };
});
afterAll(async () => {
  await stub?.close();
  await database?.close();
});

const db = () => database.db;
const rows = async (table: PgTable, where?: SQL) => (await db().select({ n: count() }).from(table).where(where))[0].n;
let counter = 0;
const newPhone = () => `1371${String(++counter).padStart(7, "0")}`;
let ipCounter = 0;
const newIp = () => `198.51.100.${++ipCounter}`;
const t0 = new Date("2026-12-01T02:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);
const s = (n: number) => n * 1000;
const min = (n: number) => n * 60_000;
const day = (n: number) => n * 24 * 60 * 60_000;
const lastCodeTo = (phone: string) => stub.sent.filter((m) => m.phone === phone).at(-1)!.params.code;
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, "0");

async function registered(phone = newPhone(), password = "old password") {
  const input = registerSchema.parse({ phone, displayName: "短信用户", password });
  const { userId } = await registerUser(db(), input, "zh-CN");
  return { phone, password, userId };
}

describe("registration with an SMS code, through Aliyun's SDK and the stand-in", () => {
  it("sends a signed SendSms, refuses a wrong code in the reader's language, then registers a verified account", async () => {
    const phone = newPhone();
    const ip = newIp();
    await sendRegistrationCode(db(), aliyun, phone, ip, t0);
    const message = stub.sent.at(-1)!;
    expect(message).toMatchObject({ phone, signName: "信圈", templateCode: "SMS_123456789" });
    expect(message.params.code).toMatch(/^\d{6}$/);
    // Only a hash is kept, and the provider's message id.
    const [row] = await db().select().from(smsCodes).where(eq(smsCodes.phone, phone));
    expect(row.codeHash).not.toContain(message.params.code);
    expect(row.providerRef).toBe(message.bizId);
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(smsRules.lifetimeMs);

    const input = { phone, displayName: "新用户", password: "a good password" };
    const refusal = (await registerWithCode(
      db(),
      { ...input, code: wrong(message.params.code) },
      "zh-CN",
      at(s(30)),
    ).then(
      () => ({ code: "accepted" }),
      (e: unknown) => e,
    )) as { code: string };
    expect(refusal).toMatchObject({ code: "security.errors.smsCodeWrong", status: 400, field: "code" });
    expect(createI18n("zh-CN").t(refusal.code)).toBe("验证码不正确。");
    expect(createI18n("en").t(refusal.code)).toBe("The code is not correct.");
    expect(await rows(users, eq(users.phone, phone))).toBe(0);

    const { userId } = await registerWithCode(db(), { ...input, code: message.params.code }, "zh-CN", at(s(40)));
    const [user] = await db().select().from(users).where(eq(users.id, userId));
    expect(user.phoneVerifiedAt).toEqual(at(s(40)));
    // A code works once.
    await expect(
      resetPasswordWithCode(db(), { phone, code: message.params.code, password: "another password" }, at(s(50))),
    ).rejects.toMatchObject({ code: "security.errors.smsCodeMissing" });
  });

  it("refuses a code for a number that already has an account, writing nothing", async () => {
    const before = await rows(smsCodes);
    await expect(sendRegistrationCode(db(), aliyun, DEMO_USERS.resident.phone, newIp(), t0)).rejects.toMatchObject({
      code: "errors.phoneTaken",
    });
    expect(await rows(smsCodes)).toBe(before);
  });

  it("a code expires after 5 minutes", async () => {
    const phone = newPhone();
    await sendRegistrationCode(db(), aliyun, phone, newIp(), t0);
    const code = lastCodeTo(phone);
    await expect(
      registerWithCode(db(), { phone, displayName: "晚了", password: "a good password", code }, "zh-CN", at(min(5))),
    ).rejects.toMatchObject({ code: "security.errors.smsCodeExpired" });
    await expect(
      registerWithCode(
        db(),
        { phone, displayName: "刚好", password: "a good password", code },
        "zh-CN",
        at(min(5) - 1),
      ),
    ).resolves.toBeTruthy();
  });

  it("a code takes 5 tries: after 5 wrong ones even the right code is refused", async () => {
    const phone = newPhone();
    await sendRegistrationCode(db(), aliyun, phone, newIp(), t0);
    const code = lastCodeTo(phone);
    const input = { phone, displayName: "猜码", password: "a good password" };
    for (let i = 1; i <= 5; i++) {
      await expect(registerWithCode(db(), { ...input, code: wrong(code) }, "zh-CN", at(s(i)))).rejects.toMatchObject({
        code: i < 5 ? "security.errors.smsCodeWrong" : "security.errors.smsTooManyTries",
      });
    }
    await expect(registerWithCode(db(), { ...input, code }, "zh-CN", at(s(6)))).rejects.toMatchObject({
      code: "security.errors.smsTooManyTries",
    });
    const [row] = await db().select().from(smsCodes).where(eq(smsCodes.phone, phone));
    expect(row.attempts).toBe(5);
    expect(await rows(users, eq(users.phone, phone))).toBe(0);
  });

  it("one send per minute per phone; a new code replaces the old one", async () => {
    const phone = newPhone();
    const ip = newIp();
    await sendRegistrationCode(db(), aliyun, phone, ip, t0);
    const first = lastCodeTo(phone);
    const before = await rows(smsCodes, eq(smsCodes.phone, phone));
    await expect(sendRegistrationCode(db(), aliyun, phone, ip, at(s(59)))).rejects.toMatchObject({
      code: "security.errors.smsTooSoon",
      status: 429,
    });
    expect(await rows(smsCodes, eq(smsCodes.phone, phone))).toBe(before);
    await sendRegistrationCode(db(), aliyun, phone, ip, at(s(60)));
    const second = lastCodeTo(phone);
    const input = { phone, displayName: "重发", password: "a good password" };
    if (first !== second) {
      await expect(registerWithCode(db(), { ...input, code: first }, "zh-CN", at(s(70)))).rejects.toMatchObject({
        code: "security.errors.smsCodeWrong",
      });
    }
    await expect(registerWithCode(db(), { ...input, code: second }, "zh-CN", at(s(80)))).resolves.toBeTruthy();
  });

  it("caps codes per phone in 24 hours", async () => {
    const deps = { ...aliyun, limits: { perPhonePerDay: 3, perIpPerDay: 100 } };
    const phone = newPhone();
    for (let i = 0; i < 3; i++) await sendRegistrationCode(db(), deps, phone, newIp(), at(min(2 * i)));
    await expect(sendRegistrationCode(db(), deps, phone, newIp(), at(min(10)))).rejects.toMatchObject({
      code: "security.errors.smsDailyPhoneLimit",
      status: 429,
    });
    // 24 hours after the first send, one is free again.
    await expect(sendRegistrationCode(db(), deps, phone, newIp(), at(day(1) + s(1)))).resolves.toBeTruthy();
  });

  it("caps codes per client address in 24 hours, across numbers", async () => {
    const deps = { ...aliyun, limits: { perPhonePerDay: 100, perIpPerDay: 3 } };
    const ip = newIp();
    for (let i = 0; i < 3; i++) await sendRegistrationCode(db(), deps, newPhone(), ip, at(s(i)));
    const phone = newPhone();
    await expect(sendRegistrationCode(db(), deps, phone, ip, at(s(5)))).rejects.toMatchObject({
      code: "security.errors.smsDailyIpLimit",
    });
    expect(await rows(smsCodes, eq(smsCodes.phone, phone))).toBe(0);
    // Another address is not affected.
    await expect(sendRegistrationCode(db(), deps, phone, newIp(), at(s(6)))).resolves.toBeTruthy();
  });

  it("parallel sends to one phone: exactly one goes out", async () => {
    const phone = newPhone();
    const sentBefore = stub.sent.length;
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => sendRegistrationCode(db(), aliyun, phone, newIp(), t0)),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(stub.sent.length - sentBefore).toBe(1);
  });

  it("a provider's refusal becomes a message to try later; the failed code is never accepted", async () => {
    const phone = newPhone();
    stub.failNext = { Code: "isv.BUSINESS_LIMIT_CONTROL", Message: "触发小时级流控Permits:5" };
    await expect(sendRegistrationCode(db(), aliyun, phone, newIp(), t0)).rejects.toMatchObject({
      code: "security.errors.smsSendFailed",
    });
    const [row] = await db().select().from(smsCodes).where(eq(smsCodes.phone, phone));
    expect(row).toMatchObject({ failedAt: t0, providerRef: "isv.BUSINESS_LIMIT_CONTROL" });
    expect(stub.requests.at(-1)).toMatchObject({ status: 200, code: "isv.BUSINESS_LIMIT_CONTROL" });
    // A failed send does not hold the number for a minute.
    await expect(sendRegistrationCode(db(), aliyun, phone, newIp(), at(s(5)))).resolves.toBeTruthy();
  });

  it("a wrong AccessKey secret is refused by the stand-in's signature check", async () => {
    const badSender = new AliyunSmsSender({
      accessKeyId: stub.accessKeyId,
      accessKeySecret: "not the secret",
      signName: stub.signName,
      templateCode: stub.templateCode,
      endpoint: stub.url,
    });
    await expect(
      sendRegistrationCode(db(), { ...aliyun, sender: badSender }, newPhone(), newIp(), t0),
    ).rejects.toMatchObject({ code: "security.errors.smsSendFailed" });
    expect(stub.requests.at(-1)).toMatchObject({ status: 400, code: "SignatureDoesNotMatch" });
  });

  it("without a provider, the outbox keeps the code", async () => {
    const outbox = new SmsOutbox();
    const phone = newPhone();
    await sendRegistrationCode(db(), { sender: outbox, limits: aliyun.limits }, phone, newIp(), t0);
    const [entry] = outbox.list();
    expect(entry).toMatchObject({ phone, purpose: "register" });
    await expect(
      registerWithCode(
        db(),
        { phone, displayName: "发件箱", password: "a good password", code: entry.code },
        "en",
        at(s(10)),
      ),
    ).resolves.toBeTruthy();
  });
});

describe("password reset by SMS, password change, sessions", () => {
  it("reset needs a registered number", async () => {
    await expect(sendResetCode(db(), aliyun, newPhone(), newIp(), t0)).rejects.toMatchObject({
      code: "security.errors.phoneUnknown",
    });
  });

  it("a reset sets the new password and ends every session of the account", async () => {
    const account = await registered();
    const other = await registered();
    await startSession(db(), account.userId, "Phone A", t0);
    await startSession(db(), account.userId, "Laptop B", t0);
    const othersSession = await startSession(db(), other.userId, "Other", t0);
    await sendResetCode(db(), aliyun, account.phone, newIp(), at(min(1)));
    await resetPasswordWithCode(
      db(),
      { phone: account.phone, code: lastCodeTo(account.phone), password: "brand new password" },
      at(min(2)),
    );
    expect(await rows(sessions, eq(sessions.userId, account.userId))).toBe(0);
    expect(await validateSession(db(), othersSession, at(min(3)))).not.toBeNull();
    await expect(signIn(db(), { phone: account.phone, password: account.password })).rejects.toMatchObject({
      code: "errors.badCredentials",
    });
    await expect(signIn(db(), { phone: account.phone, password: "brand new password" })).resolves.toMatchObject({
      userId: account.userId,
    });
    const [user] = await db().select().from(users).where(eq(users.id, account.userId));
    expect(user.phoneVerifiedAt).toEqual(at(min(2)));
  });

  it("a wrong reset code changes nothing and keeps the sessions", async () => {
    const account = await registered();
    await startSession(db(), account.userId, "Phone", t0);
    await sendResetCode(db(), aliyun, account.phone, newIp(), t0);
    await expect(
      resetPasswordWithCode(
        db(),
        { phone: account.phone, code: wrong(lastCodeTo(account.phone)), password: "brand new password" },
        at(s(10)),
      ),
    ).rejects.toMatchObject({ code: "security.errors.smsCodeWrong" });
    expect(await rows(sessions, eq(sessions.userId, account.userId))).toBe(1);
    await expect(signIn(db(), { phone: account.phone, password: account.password })).resolves.toBeTruthy();
  });

  it("a password change asks for the old one and ends every other session, keeping this one", async () => {
    const account = await registered();
    const me = await loadUser(db(), account.userId);
    const current = await startSession(db(), account.userId, "Mine", t0);
    await startSession(db(), account.userId, "Elsewhere", t0);
    await expect(
      changePassword(db(), me, current, { currentPassword: "not it at all", password: "next password" }),
    ).rejects.toMatchObject({ code: "security.errors.wrongPassword", field: "currentPassword" });
    expect(await rows(sessions, eq(sessions.userId, account.userId))).toBe(2);
    await expect(
      changePassword(db(), null, null, { currentPassword: "x", password: "next password" }),
    ).rejects.toMatchObject({ code: "auth.required", status: 403 });

    await changePassword(db(), me, current, { currentPassword: account.password, password: "next password" });
    const left = await db().select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, account.userId));
    expect(left.map((r) => r.id)).toEqual([current]);
    await expect(signIn(db(), { phone: account.phone, password: "next password" })).resolves.toBeTruthy();
  });

  it("lists my sessions and signs out everywhere else; another user's session cannot be ended", async () => {
    const account = await registered();
    const me = await loadUser(db(), account.userId);
    const current = await startSession(db(), account.userId, "Mozilla/5.0 (Linux; Android 14) Mine", t0);
    await startSession(db(), account.userId, "Mozilla/5.0 (iPhone) Other", at(min(1)));
    const stranger = await registered();
    const strangersSession = await startSession(db(), stranger.userId, "Stranger", t0);
    const list = await listMySessions(db(), me, current, at(min(2)));
    expect(list.map((x) => [x.current, x.userAgent])).toEqual([
      [true, "Mozilla/5.0 (Linux; Android 14) Mine"],
      [false, "Mozilla/5.0 (iPhone) Other"],
    ]);
    // The page never carries a session id, only a handle.
    expect(JSON.stringify(list)).not.toContain(current);

    const strangersHandle = (await listMySessions(db(), await loadUser(db(), stranger.userId), null, t0))[0].handle;
    await expect(endSession(db(), me, strangersHandle)).rejects.toMatchObject({ status: 404 });
    expect(await validateSession(db(), strangersSession, at(min(3)))).not.toBeNull();

    expect(await endOtherSessions(db(), me, current)).toBe(1);
    expect((await listMySessions(db(), me, current, at(min(3)))).map((x) => x.current)).toEqual([true]);
  });

  it("the number changes only with the code sent to the new number and the password", async () => {
    const account = await registered();
    const me = await loadUser(db(), account.userId);
    const next = newPhone();
    await expect(sendPhoneChangeCode(db(), aliyun, me, DEMO_USERS.resident.phone, newIp(), t0)).rejects.toMatchObject({
      code: "errors.phoneTaken",
    });
    await expect(sendPhoneChangeCode(db(), aliyun, null, next, newIp(), t0)).rejects.toMatchObject({ status: 403 });
    await sendPhoneChangeCode(db(), aliyun, me, next, newIp(), t0);
    const code = lastCodeTo(next);
    // Someone else's account cannot use the code sent for mine.
    const stranger = await loadUser(db(), (await registered()).userId);
    await expect(
      changePhoneWithCode(db(), stranger, { phone: next, code, password: "old password" }, at(s(5))),
    ).rejects.toMatchObject({ code: "security.errors.smsCodeMissing" });
    await expect(
      changePhoneWithCode(db(), me, { phone: next, code, password: "wrong password" }, at(s(10))),
    ).rejects.toMatchObject({ code: "security.errors.wrongPassword" });
    await changePhoneWithCode(db(), me, { phone: next, code, password: account.password }, at(s(20)));
    const [user] = await db().select().from(users).where(eq(users.id, account.userId));
    expect(user).toMatchObject({ phone: next, phoneVerifiedAt: at(s(20)) });
  });
});

describe("session lifetimes", () => {
  it("a session unused for 30 days ends, and is deleted", async () => {
    const { userId } = await registered();
    const id = await startSession(db(), userId, null, t0);
    expect(await validateSession(db(), id, at(sessionRules.idleMs - 1))).toMatchObject({ userId, touched: true });
    // Seen just now: 30 more days from here.
    const seen = sessionRules.idleMs - 1;
    expect(await validateSession(db(), id, at(seen + sessionRules.idleMs - 1))).not.toBeNull();
    expect(await validateSession(db(), id, at(seen + sessionRules.idleMs - 1 + sessionRules.idleMs))).toBeNull();
    expect(await rows(sessions, eq(sessions.id, id))).toBe(0);
  });

  it("a session in daily use still ends 90 days after sign-in", async () => {
    const { userId } = await registered();
    const id = await startSession(db(), userId, null, t0);
    for (let d = 1; d < 90; d++) expect(await validateSession(db(), id, at(day(d)))).not.toBeNull();
    const [row] = await db().select().from(sessions).where(eq(sessions.id, id));
    expect(row.expiresAt).toEqual(at(sessionRules.absoluteMs));
    expect(await validateSession(db(), id, at(day(90) - 1))).not.toBeNull();
    expect(await validateSession(db(), id, at(day(90)))).toBeNull();
  });

  it("'last seen' is written at most every 5 minutes", async () => {
    const { userId } = await registered();
    const id = await startSession(db(), userId, null, t0);
    expect(await validateSession(db(), id, at(min(4)))).toMatchObject({ touched: false });
    expect(await validateSession(db(), id, at(min(5)))).toMatchObject({ touched: true });
    const [row] = await db().select().from(sessions).where(eq(sessions.id, id));
    expect(row.lastSeenAt).toEqual(at(min(5)));
  });
});

describe("the demo district", () => {
  it("its accounts are phone-verified and sign in with a password alone", async () => {
    const demo = await db()
      .select({ verified: users.phoneVerifiedAt })
      .from(users)
      .where(and(eq(users.id, DEMO_USERS.admin.id)));
    expect(demo[0].verified).not.toBeNull();
    await expect(signIn(db(), { phone: DEMO_USERS.admin.phone, password: DEMO_PASSWORD })).resolves.toMatchObject({
      userId: DEMO_USERS.admin.id,
    });
  });
});
