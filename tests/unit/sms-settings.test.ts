import { describe, expect, it } from "vitest";
import { loadEnv } from "~/lib/env.server";
import { createSmsSender } from "~/lib/sms.server";

const aliyun = {
  ALIYUN_SMS_ACCESS_KEY_ID: "LTAI5tExample",
  ALIYUN_SMS_ACCESS_KEY_SECRET: "secret",
  ALIYUN_SMS_SIGN_NAME: "信圈",
  ALIYUN_SMS_TEMPLATE_CODE: "SMS_1",
};

describe("SMS settings", () => {
  it("without Aliyun settings, codes go to the development outbox", () => {
    const env = loadEnv({ NODE_ENV: "test" });
    expect(env.aliyunSms).toBeUndefined();
    expect(createSmsSender(env).kind).toBe("outbox");
    expect(env.SMS_DAILY_LIMIT_PER_PHONE).toBe(10);
    expect(env.SMS_DAILY_LIMIT_PER_IP).toBe(30);
  });

  it("with all four, codes go to Aliyun at its public endpoint unless overridden", () => {
    const env = loadEnv({ NODE_ENV: "test", ...aliyun });
    expect(env.aliyunSms).toMatchObject({ signName: "信圈", endpoint: "https://dysmsapi.aliyuncs.com" });
    expect(createSmsSender(env).kind).toBe("aliyun");
    expect(
      loadEnv({ NODE_ENV: "test", ...aliyun, ALIYUN_SMS_ENDPOINT: "http://127.0.0.1:4010" }).aliyunSms?.endpoint,
    ).toBe("http://127.0.0.1:4010");
  });

  it("refuses to start with only some of them, naming the missing ones", () => {
    expect(() =>
      loadEnv({ NODE_ENV: "test", ALIYUN_SMS_ACCESS_KEY_ID: "x", ALIYUN_SMS_ACCESS_KEY_SECRET: "y" }),
    ).toThrow(/ALIYUN_SMS_SIGN_NAME, ALIYUN_SMS_TEMPLATE_CODE/);
  });
});
