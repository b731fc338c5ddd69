import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { businessStripeAccounts } from "../../../db/schema";
import type { Actor } from "../accounts/actor";
import { assertCan } from "../accounts/permissions";
import { recordAudit } from "../audit.server";
import { DomainError } from "../errors";
import { connectedAccount } from "./orders.server";
import type { Payments } from "./stripe.server";

/**
 * Stripe Connect onboarding for a business: creates its connected account once (idempotency key
 * per business) and returns an account link to Stripe's onboarding; the return URL refreshes the status.
 */
export async function connectOnboardingUrl(
  db: Db,
  actor: Actor,
  businessId: number,
  payments: Payments,
  origin: string,
): Promise<string> {
  assertCan(actor, { action: "product.manage", businessId });
  if (!payments.connect) throw new DomainError("market.errors.stripeUnavailable", 409);
  let account = await connectedAccount(db, businessId);
  if (!account) {
    const created = await payments.stripe.accounts.create(
      { type: "express", metadata: { business_id: String(businessId) } },
      { idempotencyKey: `xq-business-${businessId}-account` },
    );
    await db.transaction(async (tx) => {
      await tx
        .insert(businessStripeAccounts)
        .values({ businessId, stripeAccountId: created.id, chargesEnabled: created.charges_enabled ?? false })
        .onConflictDoNothing();
      await recordAudit(tx, actor, "market.account_created", businessId, { after: { stripeAccountId: created.id } });
    });
    account = (await connectedAccount(db, businessId))!;
  }
  const link = await payments.stripe.accountLinks.create({
    account: account.stripeAccountId,
    type: "account_onboarding",
    refresh_url: `${origin}/shops/${businessId}/payments`,
    return_url: `${origin}/shops/${businessId}/payments?return=1`,
  });
  return link.url;
}

/** Asks Stripe whether the business's account can take charges now; orders then go to it. */
export async function refreshConnectedAccount(db: Db, actor: Actor, businessId: number, payments: Payments) {
  assertCan(actor, { action: "product.manage", businessId });
  const account = await connectedAccount(db, businessId);
  if (!account) return null;
  const remote = await payments.stripe.accounts.retrieve(account.stripeAccountId);
  const chargesEnabled = !!remote.charges_enabled;
  if (chargesEnabled !== account.chargesEnabled) {
    await db
      .update(businessStripeAccounts)
      .set({ chargesEnabled, updatedAt: new Date() })
      .where(eq(businessStripeAccounts.businessId, businessId));
  }
  return { ...account, chargesEnabled };
}
