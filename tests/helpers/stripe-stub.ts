/**
 * A local stand-in for the parts of the Stripe API the marketplace uses, enough for the real
 * `stripe` SDK pointed at it (host, port, protocol): Checkout Sessions (create, expire), refunds,
 * Connect accounts and account links. It honours Idempotency-Key like Stripe (same key, same
 * answer) and records every request. For browser tests it also serves a "payment page" at the
 * session's url: paying there sends the signed webhook to the app and returns to success_url.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { closeServer, listenLocally } from "./server";

export interface StubRequest {
  method: string;
  path: string;
  body: Record<string, unknown>;
  idempotencyKey: string | null;
}

export interface StubSession {
  id: string;
  object: "checkout.session";
  url: string;
  amount_total: number;
  currency: string;
  metadata: Record<string, string>;
  client_reference_id: string | null;
  payment_intent: string | null;
  payment_status: "unpaid" | "paid";
  status: "open" | "complete" | "expired";
  success_url: string;
  cancel_url: string;
  payment_intent_data?: Record<string, unknown>;
}

/** Parses Stripe's form encoding (`a[b][0][c]=1`) into nested objects and arrays. */
export function parseStripeForm(text: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const parts = key.split(/\[|\]\[|\]/).filter((p) => p !== "");
    let node: Record<string, unknown> | unknown[] = root;
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      const nextIsIndex = !last && /^\d+$/.test(parts[i + 1]);
      const container = node as Record<string, unknown>;
      if (last) container[part] = value;
      else {
        container[part] ??= nextIsIndex ? [] : {};
        node = container[part] as Record<string, unknown>;
      }
    });
  }
  return root;
}

export interface StripeStub {
  url: string;
  port: number;
  requests: StubRequest[];
  sessions: Map<string, StubSession>;
  /** Set by the test: where "paying" on the stub page sends the webhook. */
  app: { url: string | null; webhookSecret: string };
  chargesEnabled: boolean;
  /** A Stripe client pointed at the stub. */
  client(): Stripe;
  env(): Record<string, string>;
  close(): Promise<void>;
}

export async function startStripeStub(webhookSecret = "whsec_test_stub"): Promise<StripeStub> {
  const requests: StubRequest[] = [];
  const sessions = new Map<string, StubSession>();
  const idempotent = new Map<string, { status: number; body: unknown }>();
  const accounts = new Map<string, { id: string; object: "account"; charges_enabled: boolean }>();
  let counter = 0;
  const next = (prefix: string) => `${prefix}_test_${String(++counter).padStart(6, "0")}`;
  const stub: StripeStub = {
    url: "",
    port: 0,
    requests,
    sessions,
    app: { url: null, webhookSecret },
    chargesEnabled: true,
    client: () =>
      new Stripe("sk_test_stub", {
        host: "127.0.0.1",
        port: stub.port,
        protocol: "http",
        maxNetworkRetries: 0,
        telemetry: false,
      }),
    env: () => ({
      STRIPE_SECRET_KEY: "sk_test_stub",
      STRIPE_WEBHOOK_SECRET: webhookSecret,
      STRIPE_API_HOST: "127.0.0.1",
      STRIPE_API_PORT: String(stub.port),
      STRIPE_API_PROTOCOL: "http",
    }),
    close: () => closeServer(server),
  };

  const api = (method: string, path: string, body: Record<string, unknown>): { status: number; body: unknown } => {
    let m: RegExpMatchArray | null;
    if (method === "POST" && path === "/v1/checkout/sessions") {
      const lines =
        (body.line_items as { quantity: string; price_data: { unit_amount: string; currency: string } }[]) ?? [];
      const id = next("cs");
      const session: StubSession = {
        id,
        object: "checkout.session",
        url: `${stub.url}/pay/${id}`,
        amount_total: lines.reduce((sum, l) => sum + Number(l.price_data.unit_amount) * Number(l.quantity), 0),
        currency: String(body.currency ?? lines[0]?.price_data.currency ?? "cny"),
        metadata: (body.metadata as Record<string, string>) ?? {},
        client_reference_id: (body.client_reference_id as string) ?? null,
        payment_intent: null,
        payment_status: "unpaid",
        status: "open",
        success_url: String(body.success_url),
        cancel_url: String(body.cancel_url),
        payment_intent_data: body.payment_intent_data as Record<string, unknown>,
      };
      sessions.set(id, session);
      return { status: 200, body: session };
    }
    if (method === "POST" && (m = path.match(/^\/v1\/checkout\/sessions\/([^/]+)\/expire$/))) {
      const session = sessions.get(m[1]);
      if (!session)
        return { status: 404, body: { error: { type: "invalid_request_error", message: "No such session" } } };
      if (session.status !== "open")
        return { status: 400, body: { error: { type: "invalid_request_error", message: "Session is not open" } } };
      session.status = "expired";
      return { status: 200, body: session };
    }
    if (method === "POST" && path === "/v1/refunds") {
      const session = [...sessions.values()].find((s) => s.payment_intent === body.payment_intent);
      if (!session)
        return { status: 400, body: { error: { type: "invalid_request_error", message: "No such payment_intent" } } };
      return {
        status: 200,
        body: {
          id: next("re"),
          object: "refund",
          payment_intent: body.payment_intent,
          amount: session.amount_total,
          currency: session.currency,
          status: "succeeded",
        },
      };
    }
    if (method === "POST" && path === "/v1/accounts") {
      const account = { id: next("acct"), object: "account" as const, charges_enabled: false };
      accounts.set(account.id, account);
      return { status: 200, body: account };
    }
    if (method === "GET" && (m = path.match(/^\/v1\/accounts\/([^/]+)$/))) {
      const account = accounts.get(m[1]);
      if (!account)
        return { status: 404, body: { error: { type: "invalid_request_error", message: "No such account" } } };
      return { status: 200, body: { ...account, charges_enabled: stub.chargesEnabled } };
    }
    if (method === "POST" && path === "/v1/account_links") {
      return {
        status: 200,
        body: {
          object: "account_link",
          url: `${stub.url}/connect/${body.account}?return=${encodeURIComponent(String(body.return_url))}`,
          expires_at: 0,
        },
      };
    }
    return {
      status: 404,
      body: { error: { type: "invalid_request_error", message: `stub: no route ${method} ${path}` } },
    };
  };

  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://stub");
      const send = (status: number, body: unknown, type = "application/json") => {
        res.writeHead(status, { "content-type": type, "request-id": `req_${counter}` });
        res.end(typeof body === "string" ? body : JSON.stringify(body));
      };
      if (url.pathname.startsWith("/v1/")) {
        const body = parseStripeForm(raw);
        const key = (req.headers["idempotency-key"] as string | undefined) ?? null;
        requests.push({ method: req.method ?? "GET", path: url.pathname, body, idempotencyKey: key });
        if (key && idempotent.has(key)) {
          const cached = idempotent.get(key)!;
          return send(cached.status, cached.body);
        }
        const answer = api(req.method ?? "GET", url.pathname, body);
        if (key) idempotent.set(key, answer);
        return send(answer.status, answer.body);
      }
      const pay = url.pathname.match(/^\/pay\/([^/]+)$/);
      if (pay && req.method === "GET") {
        const session = sessions.get(pay[1]);
        if (!session) return send(404, "no such session", "text/plain");
        return send(
          200,
          `<!doctype html><html lang="en"><meta name="viewport" content="width=device-width"><title>Stripe stub</title><h1>Stub checkout</h1><p data-testid="amount">${session.amount_total} ${session.currency}</p><form method="post"><button type="submit">Pay</button></form>`,
          "text/html",
        );
      }
      if (pay && req.method === "POST") {
        const session = sessions.get(pay[1]);
        if (!session || !stub.app.url) return send(400, "cannot pay", "text/plain");
        completeSession(stub, session.id);
        const event = checkoutEvent("checkout.session.completed", session);
        void sendWebhook(stub.app.url, event, stub.app.webhookSecret).then(
          () => {
            res.writeHead(303, { location: session.success_url });
            res.end();
          },
          (error: unknown) => send(500, String(error), "text/plain"),
        );
        return;
      }
      const connect = url.pathname.match(/^\/connect\/([^/]+)$/);
      if (connect) {
        res.writeHead(303, { location: url.searchParams.get("return") ?? "/" });
        return res.end();
      }
      send(404, "not found", "text/plain");
    });
  });
  stub.url = await listenLocally(server);
  stub.port = (server.address() as AddressInfo).port;
  return stub;
}

let eventCounter = 0;

/** Marks a stub session paid, as Stripe would once the shopper pays: it gets a payment intent. */
export function completeSession(
  stub: StripeStub,
  sessionId: string,
  paymentStatus: "paid" | "unpaid" = "paid",
): StubSession {
  const session = stub.sessions.get(sessionId)!;
  session.status = "complete";
  session.payment_status = paymentStatus;
  session.payment_intent ??= `pi_test_${sessionId.slice(-6)}`;
  return session;
}

export function checkoutEvent(type: string, session: StubSession, overrides: Partial<StubSession> = {}) {
  return {
    id: `evt_test_${++eventCounter}_${Date.now()}`,
    object: "event",
    type,
    created: Math.floor(Date.now() / 1000),
    data: { object: { ...session, ...overrides } },
  };
}

export function chargeRefundedEvent(paymentIntent: string, amount: number) {
  return {
    id: `evt_test_${++eventCounter}_${Date.now()}`,
    object: "event",
    type: "charge.refunded",
    created: Math.floor(Date.now() / 1000),
    data: {
      object: {
        id: `ch_test_${eventCounter}`,
        object: "charge",
        payment_intent: paymentIntent,
        amount,
        amount_refunded: amount,
        refunded: true,
        currency: "cny",
      },
    },
  };
}

const signer = new Stripe("sk_test_signer", { telemetry: false });

/** The body and Stripe-Signature header of an event, signed with the SDK's test helper. */
export function signEvent(event: unknown, secret: string, timestamp?: number) {
  const payload = JSON.stringify(event);
  return {
    payload,
    signature: signer.webhooks.generateTestHeaderString({ payload, secret, ...(timestamp ? { timestamp } : {}) }),
  };
}

export async function sendWebhook(appUrl: string, event: unknown, secret: string) {
  const { payload, signature } = signEvent(event, secret);
  const response = await fetch(`${appUrl}/api/stripe/webhook`, {
    method: "POST",
    headers: { "content-type": "application/json", "stripe-signature": signature },
    body: payload,
  });
  if (!response.ok) throw new Error(`webhook answered ${response.status}: ${await response.text()}`);
}
