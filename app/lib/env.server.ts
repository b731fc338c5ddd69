import { z } from "zod";

const booleanish = z
  .enum(["1", "0", "true", "false", "yes", "no"])
  .transform((v) => v === "1" || v === "true" || v === "yes");

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  DATABASE_URL: z.string().url().optional(),
  REDIS_URL: z.string().url().optional(),
  /** Keys and streams on that Redis start with this: processes with the same prefix share rooms. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/)
    .default("xq"),
  XQ_DATA_DIR: z.string().default(".data"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Secure cookies are on in production; turn off only to try a build over plain http on a LAN. */
  COOKIE_SECURE: booleanish.optional(),
  /** The studio ingest: nginx-rtmp listens for encoders here. */
  RTMP_PORT: z.coerce.number().int().min(1).max(65535).default(1935),
  /** nginx's statistics page (rtmp_stat), on 127.0.0.1 only. */
  RTMP_STATS_PORT: z.coerce.number().int().min(1).max(65535).default(19350),
  /** The host encoders reach the studio at (rtmp://HOST:PORT/live); default the page's host. */
  RTMP_PUBLIC_HOST: z.string().optional(),
  /** A live show with no encoder for this many minutes ends (docs/decisions/022); reconnects inside it continue the show. */
  SHOW_IDLE_END_MINUTES: z.coerce.number().min(0.1).max(180).default(10),
  /** Replays older than this many days are removed (0: kept until the storage cap needs the room). */
  REPLAY_KEEP_DAYS: z.coerce.number().int().min(0).default(180),
  /** The replays' files may take this many megabytes in all; the oldest replays go first (0: no cap). */
  REPLAY_MAX_MB: z.coerce.number().int().min(0).default(20_000),
  /**
   * Where nginx writes the HLS files and every process serves /hls/ from (default XQ_DATA_DIR/hls).
   * Several processes give it the same folder (one machine, or a shared mount) so any of them
   * serves any stream (docs/decisions/023).
   */
  XQ_HLS_DIR: z.string().min(1).optional(),
  NGINX_BIN: z.string().default("/usr/sbin/nginx"),
  /** The ffmpeg that turns a browser go-live (the go-live page's camera) into RTMP. */
  FFMPEG_BIN: z.string().default("ffmpeg"),
  /**
   * The transcode ladder (docs/decisions/032): beside the source, a 480p and an audio-only
   * rendition with an HLS master playlist the watch page plays. One x264 encode per live show:
   * off by default (a 2-core machine), "1" turns it on.
   */
  XQ_TRANSCODE_LADDER: booleanish.optional(),
  NGINX_RTMP_MODULE: z.string().default("/usr/lib/nginx/modules/ngx_rtmp_module.so"),
  /** With a secret key the shop takes payment through Stripe Checkout; without, orders are paid at pickup. */
  STRIPE_SECRET_KEY: z.string().min(1).optional(),
  STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
  /** Payment method types offered at checkout, comma-separated: card, wechat_pay, alipay. */
  STRIPE_PAYMENT_METHODS: z
    .string()
    .default("card")
    .transform((v) =>
      v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(["card", "wechat_pay", "alipay"])).min(1)),
  /** Set to "1" when the platform account uses Stripe Connect (merchants connect their own accounts). */
  STRIPE_CONNECT: booleanish.optional(),
  /** For tests and development against a local stub of the Stripe API. */
  STRIPE_API_HOST: z.string().optional(),
  STRIPE_API_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  STRIPE_API_PROTOCOL: z.enum(["http", "https"]).optional(),
  /** Aliyun SMS (all four, or none: without them codes go to the development outbox). */
  ALIYUN_SMS_ACCESS_KEY_ID: z.string().min(1).optional(),
  ALIYUN_SMS_ACCESS_KEY_SECRET: z.string().min(1).optional(),
  ALIYUN_SMS_SIGN_NAME: z.string().min(1).optional(),
  ALIYUN_SMS_TEMPLATE_CODE: z.string().min(1).optional(),
  /** Tests and development only: a local stand-in of Aliyun's API, e.g. http://127.0.0.1:4010. */
  ALIYUN_SMS_ENDPOINT: z.string().url().default("https://dysmsapi.aliyuncs.com"),
  /** Codes one phone number, and one client address, may be sent in 24 hours. */
  SMS_DAILY_LIMIT_PER_PHONE: z.coerce.number().int().min(1).default(10),
  SMS_DAILY_LIMIT_PER_IP: z.coerce.number().int().min(1).default(30),
});

const aliyunSmsKeys = [
  "ALIYUN_SMS_ACCESS_KEY_ID",
  "ALIYUN_SMS_ACCESS_KEY_SECRET",
  "ALIYUN_SMS_SIGN_NAME",
  "ALIYUN_SMS_TEMPLATE_CODE",
] as const;

export type Env = z.infer<typeof envSchema> & {
  isProduction: boolean;
  cookieSecure: boolean;
  /** Present when every Aliyun SMS setting is. */
  aliyunSms?: {
    accessKeyId: string;
    accessKeySecret: string;
    signName: string;
    templateCode: string;
    endpoint: string;
  };
};

/** Reads and checks the environment once, at start-up; a bad value stops the process with its name. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  // An empty variable (`DATABASE_URL=`) means "not set", as shells and .env files use it.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid environment: ${problems}`);
  }
  const isProduction = parsed.data.NODE_ENV === "production";
  const d = parsed.data;
  const missing = aliyunSmsKeys.filter((key) => !d[key]);
  if (missing.length > 0 && missing.length < aliyunSmsKeys.length) {
    throw new Error(`Invalid environment: Aliyun SMS needs ${missing.join(", ")} as well`);
  }
  const aliyunSms =
    missing.length === 0
      ? {
          accessKeyId: d.ALIYUN_SMS_ACCESS_KEY_ID!,
          accessKeySecret: d.ALIYUN_SMS_ACCESS_KEY_SECRET!,
          signName: d.ALIYUN_SMS_SIGN_NAME!,
          templateCode: d.ALIYUN_SMS_TEMPLATE_CODE!,
          endpoint: d.ALIYUN_SMS_ENDPOINT,
        }
      : undefined;
  return { ...d, isProduction, cookieSecure: d.COOKIE_SECURE ?? isProduction, aliyunSms };
}
