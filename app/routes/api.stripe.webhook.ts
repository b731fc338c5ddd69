import type { ActionFunctionArgs } from "@remix-run/node";
import { isDomainError } from "~/domain/errors";
import { paymentsFromEnv } from "~/domain/market/stripe.server";
import { handleStripeEvent, verifyStripeEvent } from "~/domain/market/webhook.server";

export const loader = () => Response.json({ error: "method not allowed" }, { status: 405 });

/**
 * Stripe's events. The signature is checked against the raw body (request.text(), never a parsed
 * form); a bad signature or a timestamp more than 5 minutes off (past or future) is answered 400 and changes nothing. Each event id is
 * applied once. server.ts exempts this path from the same-origin check.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const payments = paymentsFromEnv(context.env);
  if (!payments?.webhookSecret) return Response.json({ error: "stripe is not configured" }, { status: 404 });
  const raw = await request.text();
  try {
    const event = verifyStripeEvent(payments, raw, request.headers.get("stripe-signature"));
    const { duplicate } = await handleStripeEvent(context.db, event);
    context.log.info({ eventId: event.id, type: event.type, duplicate }, "stripe event");
    return Response.json({ received: true });
  } catch (error) {
    if (isDomainError(error)) return Response.json({ error: "invalid signature" }, { status: 400 });
    throw error;
  }
}
