import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { useTranslation } from "~/i18n/react";
import { Money } from "~/components/market";
import { BoardLive, useNewOrders, useOrderSound } from "~/components/order-board-live";
import { businessName } from "~/domain/directory/business.server";
import { isDomainError } from "~/domain/errors";
import { boardColumns } from "~/domain/market/board";
import { cancelOrder, extendReservation, markPickedUp, markReady, merchantBoard } from "~/domain/market/orders.server";
import { formatDateTime } from "~/lib/time";
import type { Locale } from "~/i18n/locales";
import { paymentsFromEnv } from "~/domain/market/stripe.server";
import { orErrorPage, requireUser } from "~/lib/http.server";
import { recordIdOr404 } from "~/lib/page-id.server";
import { RowAction } from "~/components/row-action";
import { SubmitButton } from "~/components/submit-button";
import { Notice } from "~/components/page-parts";

const businessId = (param: string | undefined) => recordIdOr404(param, "directory.errors.notFound");

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "shopOrders");

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const id = businessId(params.id);
  const board = await orErrorPage(() => merchantBoard(context.db, user, id));
  const name = await businessName(context.db, id);
  return { id, name: name ?? "", board };
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  businessId(params.id);
  const form = await request.formData();
  const orderId = Number(form.get("orderId"));
  if (!Number.isSafeInteger(orderId) || orderId <= 0)
    return data({ error: "market.errors.orderNotFound", orderId: 0 }, { status: 404 });
  try {
    switch (form.get("intent")) {
      case "ready":
        await markReady(context.db, user, orderId);
        break;
      case "picked_up":
        await markPickedUp(context.db, user, orderId, String(form.get("code") ?? ""));
        break;
      case "cancel":
        await cancelOrder(context.db, user, orderId, paymentsFromEnv(context.env));
        break;
      case "extend":
        await extendReservation(context.db, user, orderId, 2);
        break;
      default:
        return data({ error: "market.errors.wrongState", orderId }, { status: 400 });
    }
    return { ok: true as const, orderId };
  } catch (error) {
    if (isDomainError(error)) return data({ error: error.code, orderId }, { status: error.status });
    throw error;
  }
}

export default function OrderBoard() {
  const { id, name, board } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const sound = useOrderSound();
  const { watching, fresh } = useNewOrders(id, sound.play);
  return (
    <section className="stack order-board">
      <h1>{t("market.board.title", { name })}</h1>
      <p>
        <Link to={`/shops/${id}/products`}>{t("market.manageProducts")}</Link>
      </p>
      <BoardLive watching={watching} fresh={fresh} sound={sound} />
      {boardColumns.map((column) => (
        <section key={column} className="stack" data-testid={`board-${column}`}>
          <h2>
            {t(`market.status.${column}`)} ({board[column].length})
          </h2>
          {board[column].length === 0 ? <p className="muted">{t("market.board.empty")}</p> : null}
          {board[column].map((o) => (
            <div
              key={o.id}
              className={`card stack order-card${fresh.includes(o.id) ? " order-card--fresh" : ""}`}
              data-testid="board-order"
              data-order-id={o.id}
            >
              <p>
                <Link to={`/orders/${o.id}`}>{t("market.orders.order", { id: o.id })}</Link> ·{" "}
                <Money fen={o.totalFen} /> · {t(`market.payment.${o.paymentMethod}`)} ·{" "}
                {t(`market.payment.${o.paymentStatus}`)}
              </p>
              {o.reservedUntil ? (
                <p className="small muted" data-testid="reserved-until">
                  {t("security.reservedUntil", { time: formatDateTime(o.reservedUntil, i18n.language as Locale) })}
                </p>
              ) : null}
              {o.pickupLocked ? <Notice ok={false}>{t("security.pickupLocked")}</Notice> : null}
              <ul className="small">
                {o.items.map((i) => (
                  <li key={i.name}>
                    {i.name} × {i.quantity}
                  </li>
                ))}
              </ul>
              {result && "error" in result && result.orderId === o.id ? (
                <Notice ok={false}>{t(result.error)}</Notice>
              ) : null}
              {o.status === "new" ? <OrderAction id={o.id} intent="ready" label={t("market.board.markReady")} /> : null}
              {o.status === "new" || o.status === "ready" ? (
                <>
                  <Form method="post" className="pickup-form">
                    <input type="hidden" name="orderId" value={o.id} />
                    <div className="field">
                      <label htmlFor={`code-${o.id}`}>{t("market.board.code")}</label>
                      <input
                        id={`code-${o.id}`}
                        name="code"
                        inputMode="numeric"
                        pattern="[0-9]{6}"
                        maxLength={6}
                        autoComplete="off"
                        required
                      />
                    </div>
                    <SubmitButton intent="picked_up" label={t("market.board.markPickedUp")} />
                  </Form>
                  {o.reservedUntil ? <OrderAction id={o.id} intent="extend" label={t("security.extend")} /> : null}
                  <OrderAction
                    id={o.id}
                    intent="cancel"
                    label={o.paymentStatus === "paid" ? t("market.orders.cancelRefund") : t("market.board.cancel")}
                  />
                </>
              ) : null}
            </div>
          ))}
        </section>
      ))}
    </section>
  );
}

/** The one-button steps on an order of the board, each with its button's look: ready is the main way on. */
const orderActionClasses = {
  ready: "button button--primary",
  extend: "button button--quiet",
  cancel: "button button--quiet",
} as const;

/** A one-button step on an order of the board (ready, extend the reservation, cancel). */
function OrderAction({ id, intent, label }: { id: number; intent: keyof typeof orderActionClasses; label: string }) {
  return <RowAction intent={intent} values={{ orderId: id }} className={orderActionClasses[intent]} label={label} />;
}
