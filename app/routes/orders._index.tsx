import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { Form, useLoaderData, useSearchParams } from "@remix-run/react";
import { Link } from "~/components/link";
import { useTranslation } from "~/i18n/react";
import { Money, OrderStatusTag } from "~/components/market";
import { checkoutSessionUrl, shopperOrders } from "~/domain/market/orders.server";
import { paymentsFromEnv } from "~/domain/market/stripe.server";
import { formatDateTime } from "~/lib/time";
import { orErrorPage, requireUser } from "~/lib/http.server";
import { SubmitButton } from "~/components/submit-button";
import { Notice } from "~/components/page-parts";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "orders");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  return { orders: await shopperOrders(context.db, user) };
}

/** "Pay now" on an unpaid order: to its Stripe Checkout page. */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const id = Number((await request.formData()).get("orderId"));
  const payments = paymentsFromEnv(context.env);
  if (!payments || !Number.isSafeInteger(id)) throw redirect("/orders");
  const url = await orErrorPage(() => checkoutSessionUrl(context.db, user, id, payments, new URL(request.url).origin));
  throw redirect(url);
}

export default function Orders() {
  const { orders } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const { t, i18n } = useTranslation();
  return (
    <section className="stack">
      <h1>{t("market.orders.title")}</h1>
      {params.get("placed") ? <Notice>{t("market.orders.placed")}</Notice> : null}
      {orders.length === 0 ? <p className="muted">{t("market.orders.none")}</p> : null}
      <ul className="order-list">
        {orders.map((o) => (
          <li key={o.id} className="card order-card" data-testid="order-card">
            <Link to={`/orders/${o.id}`} className="order-card__title">
              {t("market.orders.order", { id: o.id })} · {o.businessName}
            </Link>
            <p>
              <OrderStatusTag status={o.status} /> · <Money fen={o.totalFen} /> ·{" "}
              {t(`market.payment.${o.paymentMethod}`)}
            </p>
            <p className="muted small">{formatDateTime(o.createdAt, i18n.language === "en" ? "en" : "zh-CN")}</p>
            {o.status === "awaiting_payment" ? (
              <Form method="post">
                <input type="hidden" name="orderId" value={o.id} />
                <SubmitButton primary label={t("market.orders.pay")} />
              </Form>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
