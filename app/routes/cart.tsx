import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { useTranslation } from "~/i18n/react";
import { ModeNotice, Money } from "~/components/market";
import { cartView, setCartQuantity, setCookieQuantity, type CartLineView } from "~/domain/market/cart.server";
import { isDomainError } from "~/domain/errors";
import { checkoutSessionUrl, placeOrders, type ExpectedLine } from "~/domain/market/orders.server";
import { cartLineSchema } from "~/domain/market/schemas";
import { marketMode, paymentsFromEnv } from "~/domain/market/stripe.server";
import { cartCookie, cookieCartLines, currentCartLines } from "~/domain/market/cart-cookie.server";
import { requireUser } from "~/lib/http.server";
import { SubmitButton } from "~/components/submit-button";
import { HiddenLabel, Notice } from "~/components/page-parts";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "cart");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const groups = await cartView(context.db, await currentCartLines(context, request));
  return { groups, mode: marketMode(paymentsFromEnv(context.env)), signedIn: !!context.actor };
}

/** `productId:quantity:priceFen`, as the page showed each line. */
function expectedLines(form: FormData): ExpectedLine[] | null {
  const lines: ExpectedLine[] = [];
  for (const value of form.getAll("line")) {
    const m = /^(\d{1,9}):(\d{1,3}):(\d{1,9})$/.exec(String(value));
    if (!m) return null;
    lines.push({ productId: Number(m[1]), quantity: Number(m[2]), priceFen: Number(m[3]) });
  }
  return lines;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  try {
    if (form.get("intent") === "update") {
      const line = cartLineSchema.safeParse({ productId: form.get("productId"), quantity: form.get("quantity") });
      if (!line.success) return data({ error: "market.errors.quantityInvalid" }, { status: 400 });
      if (context.actor) {
        await setCartQuantity(context.db, context.actor, line.data.productId, line.data.quantity);
        return { ok: true };
      }
      const lines = setCookieQuantity(cookieCartLines(request), line.data.productId, line.data.quantity);
      return data({ ok: true }, { headers: { "Set-Cookie": cartCookie(lines, context) } });
    }
    const user = requireUser(context, request);
    const expected = expectedLines(form);
    if (!expected) return data({ error: "market.errors.cartChanged" }, { status: 400 });
    const payments = paymentsFromEnv(context.env);
    const ids = await placeOrders(context.db, user, marketMode(payments), expected);
    if (payments && ids.length === 1) {
      const origin = new URL(request.url).origin;
      const url = await checkoutSessionUrl(context.db, user, ids[0], payments, origin).catch((error: unknown) => {
        context.log.error({ err: error, orderId: ids[0] }, "stripe checkout session failed");
        return `/orders/${ids[0]}?payError=1`;
      });
      throw redirect(url);
    }
    throw redirect(`/orders?placed=${ids.join(",")}`);
  } catch (error) {
    if (error instanceof Response) throw error;
    if (isDomainError(error)) return data({ error: error.code, params: error.params }, { status: error.status });
    throw error;
  }
}

/** A line's state as the page says it: nothing for a line the checkout orders. */
function LineState({ line }: { line: CartLineView }) {
  const { t } = useTranslation();
  if (line.state === "ok") return null;
  const text =
    line.state === "short"
      ? t("market.cart.short", { count: line.stock })
      : line.state === "soldOut"
        ? t("market.cart.soldOut")
        : line.state === "closed"
          ? t("market.cart.closed")
          : t("market.cart.unavailable");
  return (
    <span className={`tag cart-line__state cart-line__state--${line.state}`} data-testid="line-state">
      {text}
    </span>
  );
}

export default function Cart() {
  const { groups, mode, signedIn } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  const total = groups.reduce((sum, g) => sum + g.totalFen, 0);
  const checkoutLines = groups.flatMap((g) => g.lines.filter((l) => l.available));
  const held = groups.some((g) => g.lines.some((l) => !l.available));
  return (
    <section className="stack cart">
      <h1>{t("market.cart.title")}</h1>
      <ModeNotice mode={mode} />
      {result && "error" in result ? (
        <Notice ok={false}>
          {t(result.error, "params" in result ? (result.params as Record<string, string | number>) : {})}
        </Notice>
      ) : null}
      {groups.length === 0 ? <p className="muted">{t("market.cart.empty")}</p> : null}
      {groups.map((group) => (
        <section key={group.businessId} className="card stack cart-group" data-testid="cart-group">
          <h2>
            <Link to={`/shops/${group.businessId}`}>{group.businessName}</Link>
          </h2>
          <ul className="cart-lines">
            {group.lines.map((line) => (
              <li
                key={line.productId}
                className={`cart-line${line.available ? "" : " cart-line--held"}`}
                data-testid="cart-line"
                data-state={line.state}
              >
                <div className="cart-line__what">
                  <Link to={`/products/${line.productId}`}>{line.name}</Link>{" "}
                  <span className="muted">
                    <Money fen={line.priceFen} /> × {line.quantity}
                  </span>{" "}
                  <LineState line={line} />
                </div>
                {line.state === "short" ? (
                  <Form method="post" className="cart-line__fix">
                    <input type="hidden" name="intent" value="update" />
                    <input type="hidden" name="productId" value={line.productId} />
                    <input type="hidden" name="quantity" value={line.stock} />
                    <SubmitButton
                      className="button button--small"
                      label={t("market.cart.setTo", { count: line.stock })}
                    />
                  </Form>
                ) : null}
                <Form method="post" className="cart-line__form">
                  <input type="hidden" name="intent" value="update" />
                  <input type="hidden" name="productId" value={line.productId} />
                  <HiddenLabel htmlFor={`q-${line.productId}`}>{t("market.quantity")}</HiddenLabel>
                  <input
                    id={`q-${line.productId}`}
                    name="quantity"
                    type="number"
                    min={0}
                    max={99}
                    defaultValue={line.quantity}
                    inputMode="numeric"
                  />
                  <SubmitButton className="button button--small" label={t("market.cart.update")} />
                </Form>
              </li>
            ))}
          </ul>
          <p className="cart-group__total">
            {t("market.cart.subtotal")} <Money fen={group.totalFen} />
          </p>
        </section>
      ))}
      {checkoutLines.length > 0 ? (
        <>
          <p className="cart__total" data-testid="cart-total">
            {t("market.cart.total", { amount: "" })}
            <Money fen={total} />
          </p>
          {groups.length > 1 ? <p className="muted">{t("market.cart.onePerBusiness")}</p> : null}
          {held ? (
            <p className="notice-warn" data-testid="held-notice">
              {t("market.cart.leftInCart")}
            </p>
          ) : null}
          {signedIn ? (
            <Form method="post">
              <input type="hidden" name="intent" value="checkout" />
              {checkoutLines.map((l) => (
                <input
                  key={l.productId}
                  type="hidden"
                  name="line"
                  value={`${l.productId}:${l.quantity}:${l.priceFen}`}
                />
              ))}
              <SubmitButton
                primary
                label={mode === "stripe" ? t("market.cart.checkoutStripe") : t("market.cart.checkout")}
              />
            </Form>
          ) : (
            <Link className="button button--primary" to="/login?redirectTo=%2Fcart">
              {t("market.cart.loginToCheckout")}
            </Link>
          )}
        </>
      ) : groups.length > 0 ? (
        <p className="muted" data-testid="nothing-orderable">
          {t("market.cart.nothingOrderable")}
        </p>
      ) : null}
    </section>
  );
}
