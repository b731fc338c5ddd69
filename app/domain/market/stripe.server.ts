import { createRequire } from "node:module";
import type Stripe from "stripe";
import type { Env } from "../../lib/env.server";

/** What checkout, refunds and Connect need of the platform's Stripe set-up. */
export interface Payments {
  stripe: Stripe;
  paymentMethods: readonly ("card" | "wechat_pay" | "alipay")[];
  connect: boolean;
  webhookSecret: string | null;
}

/** "stripe" when a secret key is configured, else orders are reserved and paid at pickup. */
export type MarketMode = "stripe" | "at_pickup";

const clients = new Map<string, Stripe>();

/** The Stripe client the environment configures (one per key and host), or null without a key. */
export function paymentsFromEnv(env: Env): Payments | null {
  if (!env.STRIPE_SECRET_KEY) return null;
  const cacheKey = [env.STRIPE_SECRET_KEY, env.STRIPE_API_HOST, env.STRIPE_API_PORT, env.STRIPE_API_PROTOCOL].join("|");
  let stripe = clients.get(cacheKey);
  if (!stripe) {
    // Loaded when a key is configured: a server paid at pickup never holds the SDK (docs/decisions/034).
    const StripeClient = createRequire(import.meta.url)("stripe") as typeof Stripe;
    stripe = new StripeClient(env.STRIPE_SECRET_KEY, {
      ...(env.STRIPE_API_HOST ? { host: env.STRIPE_API_HOST } : {}),
      ...(env.STRIPE_API_PORT ? { port: env.STRIPE_API_PORT } : {}),
      ...(env.STRIPE_API_PROTOCOL ? { protocol: env.STRIPE_API_PROTOCOL } : {}),
      maxNetworkRetries: 2,
      telemetry: false,
    });
    clients.set(cacheKey, stripe);
  }
  return {
    stripe,
    paymentMethods: env.STRIPE_PAYMENT_METHODS,
    connect: !!env.STRIPE_CONNECT,
    webhookSecret: env.STRIPE_WEBHOOK_SECRET ?? null,
  };
}

export const marketMode = (payments: Payments | null): MarketMode => (payments ? "stripe" : "at_pickup");
