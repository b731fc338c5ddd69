import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { useTranslation } from "~/i18n/react";
import { InputField } from "~/components/field";
import { SubmitButton } from "~/components/submit-button";
import { ModeNotice, Money } from "~/components/market";
import { addToCart, addToCookieCart } from "~/domain/market/cart.server";
import { productPage } from "~/domain/market/products.server";
import { quantitySchema } from "~/domain/market/schemas";
import { marketMode, paymentsFromEnv } from "~/domain/market/stripe.server";
import { isDomainError } from "~/domain/errors";
import { cartCookie, cookieCartLines } from "~/domain/market/cart-cookie.server";
import { orErrorPage } from "~/lib/http.server";
import { photoSources } from "~/lib/photo-sources";
import { recordIdOr404 } from "~/lib/page-id.server";
import { Notice } from "~/components/page-parts";

const productId = (param: string | undefined) => recordIdOr404(param, "market.errors.productNotFound");

/** A product's own page: the stable link a livestream can pin ("buy this"), and a plain form to add it. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const row = await orErrorPage(() => productPage(context.db, context.actor, productId(params.id)));
  return { ...row, mode: marketMode(paymentsFromEnv(context.env)) };
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageMeta(matches, {
    title: data ? `${data.product.name} · ${data.businessName}` : "",
    description: data?.product.description ?? "",
  });

export async function action({ params, request, context }: ActionFunctionArgs) {
  const id = productId(params.id);
  const form = await request.formData();
  const quantity = quantitySchema.safeParse(form.get("quantity"));
  if (!quantity.success) return data({ error: "market.errors.quantityInvalid" }, { status: 400 });
  const next = form.get("intent") === "buy" ? "/cart" : null;
  try {
    if (context.actor) {
      await addToCart(context.db, context.actor, id, quantity.data);
      if (next) throw redirect(next);
      return { added: true as const };
    }
    const lines = await addToCookieCart(context.db, cookieCartLines(request), id, quantity.data);
    const headers = { "Set-Cookie": cartCookie(lines, context) };
    if (next) throw redirect(next, { headers });
    return data({ added: true as const }, { headers });
  } catch (error) {
    if (error instanceof Response) throw error;
    if (isDomainError(error)) return data({ error: error.code, params: error.params }, { status: error.status });
    throw error;
  }
}

export default function ProductPage() {
  const { product, businessName, mode } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <article className="product-page stack narrow">
      <p className="muted">
        <Link to={`/shops/${product.businessId}`}>{t("market.from", { business: businessName })}</Link>
      </p>
      <h1>{product.name}</h1>
      {product.photoPath ? (
        <img
          className="product-page__photo"
          {...photoSources(`/media/products/${product.photoPath}`, "(max-width: 720px) 100vw, 720px")}
          alt=""
          width={640}
          height={480}
        />
      ) : null}
      <p className="product-page__price">
        <Money fen={product.priceFen} />
      </p>
      {product.hidden ? <p className="tag">{t("market.hiddenBadge")}</p> : null}
      {product.description ? <p>{product.description}</p> : null}
      <p className="muted">{product.stock > 0 ? t("market.stock", { count: product.stock }) : t("market.soldOut")}</p>
      <ModeNotice mode={mode} />
      {result && "added" in result ? (
        <Notice>
          {t("market.added")} <Link to="/cart">{t("market.viewCart")}</Link>
        </Notice>
      ) : null}
      {result && "error" in result ? (
        <Notice ok={false} testId="buy-error">
          {t(result.error, "params" in result ? (result.params as Record<string, string | number>) : {})}
        </Notice>
      ) : null}
      {product.stock > 0 && !product.hidden ? (
        <Form method="post" className="stack buy-form">
          <InputField
            id="quantity"
            label={t("market.quantity")}
            name="quantity"
            type="number"
            inputMode="numeric"
            min={1}
            max={99}
            defaultValue={1}
            required
          />
          <div className="buy-form__actions">
            <SubmitButton intent="add" label={t("market.addToCart")} />
            <SubmitButton intent="buy" primary label={t("market.buyNow")} />
          </div>
        </Form>
      ) : null}
    </article>
  );
}
