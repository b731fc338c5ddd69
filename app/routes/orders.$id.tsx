import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Link } from "~/components/link";
import { useTranslation } from "~/i18n/react";
import { Money, OrderStatusTag } from "~/components/market";
import { isDomainError } from "~/domain/errors";
import { cancelOrder, checkoutSessionUrl, orderDetail } from "~/domain/market/orders.server";
import { paymentsFromEnv } from "~/domain/market/stripe.server";
import { orErrorPage, requireUser } from "~/lib/http.server";
import { formatDateTime } from "~/lib/time";
import { recordIdOr404 } from "~/lib/page-id.server";
import { RowAction } from "~/components/row-action";
import { Notice } from "~/components/page-parts";

const orderId = (param: string | undefined) => recordIdOr404(param, "market.errors.orderNotFound");

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageMeta(matches, data ? { title: `#${data.order.id}` } : "orders", { noindex: true });

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  return orErrorPage(() => orderDetail(context.db, user, orderId(params.id)));
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const id = orderId(params.id);
  const intent = (await request.formData()).get("intent");
  const payments = paymentsFromEnv(context.env);
  try {
    if (intent === "pay" && payments) {
      throw redirect(await checkoutSessionUrl(context.db, user, id, payments, new URL(request.url).origin));
    }
    if (intent === "cancel") {
      await cancelOrder(context.db, user, id, payments);
      return { ok: true };
    }
    return data({ error: "market.errors.wrongState" }, { status: 400 });
  } catch (error) {
    if (error instanceof Response) throw error;
    if (isDomainError(error)) return data({ error: error.code }, { status: error.status });
    throw error;
  }
}

export default function OrderPage() {
  const { order, items, businessName, isShopper, canCancel, canPay } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t, i18n } = useTranslation();
  return (
    <article className="stack narrow order-page">
      <h1>{t("market.orders.order", { id: order.id })}</h1>
      <p>
        <OrderStatusTag status={order.status} /> · {t(`market.payment.${order.paymentMethod}`)} ·{" "}
        {t(`market.payment.${order.paymentStatus}`)}
      </p>
      {params.get("paid") && order.status === "awaiting_payment" ? (
        <Notice>{t("market.orders.paidReturn")}</Notice>
      ) : null}
      {params.get("payError") ? <Notice ok={false}>{t("market.errors.stripeUnavailable")}</Notice> : null}
      {result && "error" in result ? <Notice ok={false}>{t(result.error)}</Notice> : null}
      {isShopper && order.pickupCode && (order.status === "new" || order.status === "ready") ? (
        <div className="pickup-code card">
          <p>{t("market.orders.pickupCode")}</p>
          <p className="pickup-code__digits" data-testid="pickup-code">
            {order.pickupCode}
          </p>
          <p className="muted small">{t("market.orders.pickupCodeHint")}</p>
        </div>
      ) : null}
      <dl className="facts">
        <dt>{t("market.orders.business")}</dt>
        <dd>
          <Link to={`/shops/${order.businessId}`}>{businessName}</Link>
        </dd>
        <dt>{t("market.orders.placedAt")}</dt>
        <dd>{formatDateTime(order.createdAt, i18n.language === "en" ? "en" : "zh-CN")}</dd>
        <dt>{t("market.orders.total")}</dt>
        <dd data-testid="order-total">
          <Money fen={order.totalFen} />
        </dd>
      </dl>
      <h2>{t("market.orders.items")}</h2>
      <ul className="cart-lines">
        {items.map((i) => (
          <li key={i.productId} className="cart-line">
            <Link to={`/products/${i.productId}`}>{i.name}</Link>{" "}
            <span className="muted">
              <Money fen={i.unitPriceFen} /> × {i.quantity}
            </span>
          </li>
        ))}
      </ul>
      {canPay ? <RowAction intent="pay" className="button button--primary" label={t("market.orders.pay")} /> : null}
      {canCancel ? (
        <RowAction
          intent="cancel"
          className="button"
          label={order.paymentStatus === "paid" ? t("market.orders.cancelRefund") : t("market.orders.cancel")}
        />
      ) : null}
      {isShopper ? (
        <Link to="/orders">{t("market.orders.back")}</Link>
      ) : (
        <Link to={`/shops/${order.businessId}/orders`}>{t("market.orderBoard")}</Link>
      )}
    </article>
  );
}
