import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { Form, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { useTranslation } from "~/i18n/react";
import { assertCan } from "~/domain/accounts/permissions";
import { connectOnboardingUrl, refreshConnectedAccount } from "~/domain/market/connect.server";
import { platformFeeBasisPoints } from "~/domain/market/orders.server";
import { paymentsFromEnv } from "~/domain/market/stripe.server";
import { orErrorPage, requireUser } from "~/lib/http.server";
import { recordIdOr404 } from "~/lib/page-id.server";
import { SubmitButton } from "~/components/submit-button";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "shopPayments");

const businessId = (param: string | undefined) => recordIdOr404(param, "directory.errors.notFound");

/** Stripe Connect for one business: shown only when the platform is configured for Connect. */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const id = businessId(params.id);
  await orErrorPage(async () => assertCan(user, { action: "product.manage", businessId: id }));
  const payments = paymentsFromEnv(context.env);
  if (!payments?.connect) throw data({ code: "errors.notFound" }, { status: 404 });
  const account = await orErrorPage(() => refreshConnectedAccount(context.db, user, id, payments));
  return {
    id,
    account: account ? { chargesEnabled: account.chargesEnabled } : null,
    percent: (await platformFeeBasisPoints(context.db)) / 100,
  };
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const id = businessId(params.id);
  const payments = paymentsFromEnv(context.env);
  if (!payments?.connect) throw data({ code: "errors.notFound" }, { status: 404 });
  throw redirect(
    await orErrorPage(() => connectOnboardingUrl(context.db, user, id, payments, new URL(request.url).origin)),
  );
}

export default function Payments() {
  const { id, account, percent } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <section className="stack narrow">
      <h1>{t("market.connect.title")}</h1>
      <p>{t("market.connect.intro", { percent })}</p>
      {account?.chargesEnabled ? <p className="notice-ok">{t("market.connect.connected")}</p> : null}
      {account && !account.chargesEnabled ? <p className="muted">{t("market.connect.pending")}</p> : null}
      {!account?.chargesEnabled ? (
        <Form method="post">
          <SubmitButton primary label={t("market.connect.connect")} />
        </Form>
      ) : null}
      <Link to={`/shops/${id}/products`}>{t("market.manage.back")}</Link>
    </section>
  );
}
