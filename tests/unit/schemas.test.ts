import { describe, expect, it } from "vitest";
import { loginSchema, registerSchema } from "~/domain/accounts/schemas";
import { createI18n } from "~/i18n/i18n";
import { en } from "~/i18n/messages/en";
import { zhCN } from "~/i18n/messages/zh-CN";

function fieldErrors(input: unknown) {
  const result = registerSchema.safeParse(input);
  if (result.success) return {};
  return Object.fromEntries(result.error.issues.map((i) => [String(i.path[0]), i.message]));
}

describe("registration input", () => {
  it("accepts a good registration and normalizes the phone", () => {
    const result = registerSchema.parse({ phone: "138 0013 8000", displayName: " 小王 ", password: "12345678" });
    expect(result).toEqual({ phone: "13800138000", displayName: "小王", password: "12345678" });
  });
  it("names each bad field with a message key", () => {
    expect(fieldErrors({ phone: "12345", displayName: "x", password: "12345678" })).toEqual({
      phone: "errors.phoneInvalid",
    });
    expect(fieldErrors({ phone: "13800138000", displayName: "名".repeat(31), password: "12345678" })).toEqual({
      displayName: "errors.displayNameTooLong",
    });
    expect(fieldErrors({ phone: "13800138000", displayName: "x", password: "" })).toEqual({
      password: "errors.required",
    });
    expect(fieldErrors({ phone: "13800138000", displayName: "x", password: "short" })).toEqual({
      password: "errors.passwordTooShort",
    });
    expect(fieldErrors({ phone: "", displayName: "", password: "12345678" })).toEqual({
      phone: "errors.required",
      displayName: "errors.required",
    });
  });
  it("refuses an empty login password", () => {
    expect(loginSchema.safeParse({ phone: "13800138000", password: "" }).success).toBe(false);
  });
});

describe("messages", () => {
  const keys = (tree: object, prefix = ""): string[] =>
    Object.entries(tree).flatMap(([k, v]) => (typeof v === "string" ? [`${prefix}${k}`] : keys(v, `${prefix}${k}.`)));

  it("has every Chinese key in English and no empty text", () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort());
    for (const key of keys(en)) {
      expect(createI18n("en").t(key), key).not.toBe("");
      expect(createI18n("zh-CN").t(key), key).not.toBe("");
    }
  });
  it("translates every message key the schemas produce", () => {
    const t = createI18n("en").t;
    for (const key of [
      "errors.phoneInvalid",
      "errors.displayNameTooLong",
      "errors.passwordTooShort",
      "errors.required",
    ]) {
      expect(t(key)).not.toBe(key);
    }
  });
});
