/**
 * Sending SMS codes: one interface, two senders. With the Aliyun settings (README, "SMS codes")
 * codes go out through Aliyun's SMS service (`@alicloud/dysmsapi20170525`); without them the
 * development outbox keeps the last messages in memory, logs each one, and the `/dev/sms` page
 * (outside production only) shows them.
 */
import type DysmsapiModule from "@alicloud/dysmsapi20170525";
import type { Env } from "./env.server";
import type { Logger } from "./log.server";

export interface SmsMessage {
  phone: string;
  code: string;
  /** What the code is for, in the outbox and the log (the provider's template has its own text). */
  purpose: string;
}

export interface SmsSender {
  kind: "aliyun" | "outbox";
  /** Resolves with the provider's message id; throws SmsSendError when the provider refuses. */
  send(message: SmsMessage): Promise<{ ref: string | null }>;
}

export class SmsSendError extends Error {
  constructor(
    message: string,
    readonly providerCode: string,
  ) {
    super(message);
    this.name = "SmsSendError";
  }
}

export interface OutboxEntry extends SmsMessage {
  at: Date;
}

/** The development outbox: the newest messages first, at most `limit`. */
export class SmsOutbox implements SmsSender {
  readonly kind = "outbox";
  private entries: OutboxEntry[] = [];
  constructor(
    private readonly log?: Logger,
    private readonly limit = 50,
  ) {}

  async send(message: SmsMessage): Promise<{ ref: string | null }> {
    this.entries.unshift({ ...message, at: new Date() });
    this.entries.length = Math.min(this.entries.length, this.limit);
    // Warn: in production without a provider this log line is the only way to read the code.
    this.log?.warn(
      { phone: message.phone, code: message.code, purpose: message.purpose },
      "SMS outbox (no SMS provider configured): code not sent",
    );
    return { ref: null };
  }

  list(): OutboxEntry[] {
    return [...this.entries];
  }
}

export interface AliyunSmsSettings {
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  templateCode: string;
  /** `https://dysmsapi.aliyuncs.com` unless a test points it at a local stand-in. */
  endpoint: string;
}

/**
 * The SDK, loaded on the first message sent: a server without Aliyun settings never holds it (it
 * is among the largest libraries the server would load; docs/decisions/034).
 */
async function aliyunSdk() {
  const [sms, core] = await Promise.all([import("@alicloud/dysmsapi20170525"), import("@alicloud/openapi-core")]);
  // CommonJS compiled from ES modules: under Node's ESM loader its class is `.default`.
  const module = sms.default as unknown as { default?: typeof DysmsapiModule } & typeof DysmsapiModule;
  return { Dysmsapi: module.default ?? module, SendSmsRequest: sms.SendSmsRequest, Config: core.$OpenApiUtil.Config };
}

/** Aliyun's SendSms. The template must have one variable, `${code}`. */
export class AliyunSmsSender implements SmsSender {
  readonly kind = "aliyun";
  private readonly url: URL;
  private sdk?: ReturnType<typeof aliyunSdk>;
  private client?: DysmsapiModule;
  constructor(private readonly settings: AliyunSmsSettings) {
    this.url = new URL(settings.endpoint);
  }

  async send(message: SmsMessage): Promise<{ ref: string | null }> {
    const { Dysmsapi, SendSmsRequest, Config } = await (this.sdk ??= aliyunSdk());
    this.client ??= new Dysmsapi(
      new Config({
        accessKeyId: this.settings.accessKeyId,
        accessKeySecret: this.settings.accessKeySecret,
        endpoint: this.url.host,
        protocol: this.url.protocol.replace(":", ""),
        connectTimeout: 5_000,
        readTimeout: 10_000,
      }),
    );
    let body: { code?: string; message?: string; bizId?: string } | undefined;
    try {
      const response = await this.client.sendSms(
        new SendSmsRequest({
          phoneNumbers: message.phone,
          signName: this.settings.signName,
          templateCode: this.settings.templateCode,
          templateParam: JSON.stringify({ code: message.code }),
        }),
      );
      body = response.body;
    } catch (error) {
      const code = (error as { code?: string }).code ?? "NetworkError";
      throw new SmsSendError(`Aliyun SendSms failed: ${(error as Error).message}`, String(code));
    }
    // Aliyun answers HTTP 200 with a Code other than "OK" for refusals (limits, bad number, template).
    if (body?.code !== "OK") {
      throw new SmsSendError(`Aliyun SendSms refused: ${body?.code} ${body?.message ?? ""}`, body?.code ?? "Unknown");
    }
    return { ref: body.bizId ?? null };
  }
}

/** The Aliyun sender when its settings are present, else the outbox. */
export function createSmsSender(env: Env, log?: Logger): SmsSender {
  if (env.aliyunSms) return new AliyunSmsSender(env.aliyunSms);
  return new SmsOutbox(log);
}
