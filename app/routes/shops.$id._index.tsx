import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { translatorOf, useTranslation } from "~/i18n/react";
import { GridContacts, OpenState, PlaqueBadge, useAddress, useHours } from "~/components/directory";
import { Outcome } from "~/components/alliance";
import { FeedbackForm } from "~/components/desk";
import { ComplainLink, TrustRecordCard } from "~/components/trust";
import { trustRecord } from "~/domain/feedback/trust-record.server";
import { businessPage } from "~/domain/directory/business.server";
import { answerFeedback, shopFeedback } from "~/domain/feedback/feedback.server";
import { replySchema } from "~/domain/feedback/schemas";
import { clockNow } from "~/lib/clock.server";
import { attempt, invalidForm } from "~/lib/refusal.server";
import { Money } from "~/components/market";
import { listProducts } from "~/domain/market/products.server";
import { createI18n } from "~/i18n/i18n";
import { orErrorPage, requireUser } from "~/lib/http.server";
import { photoSources } from "~/lib/photo-sources";
import { ReviewsSection } from "~/components/reviews";
import { businessReviews } from "~/domain/reviews/reviews.server";
import { Notice } from "~/components/page-parts";
import { ProductThumb } from "~/components/product-thumb";

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const id = Number(params.id);
  if (!Number.isSafeInteger(id) || id <= 0) throw data({ code: "directory.errors.notFound" }, { status: 404 });
  const business = await orErrorPage(() => businessPage(context.db, context.actor, id));
  const market = await listProducts(context.db, context.actor, id);
  const t = translatorOf(createI18n(context.locale));
  const origin = new URL(request.url).origin;
  const plaqueText = business.plaques
    .filter((p) => p.state === "current")
    .map((p) => t(`directory.plaqueKinds.${p.kind}`));
  return {
    business,
    feedback: await shopFeedback(context.db, context.actor, id),
    record: await trustRecord(context.db, id, clockNow()),
    signedIn: !!context.actor,
    sent: new URL(request.url).searchParams.get("feedback") === "sent",
    market,
    reviews: await businessReviews(context.db, context.actor, id),
    meta: {
      title: `${business.name} · ${t("app.name")}`,
      description:
        [plaqueText.join("、"), business.description].filter(Boolean).join(" · ").slice(0, 160) || t("app.tagline"),
      image: `${origin}${business.photoPath ? `/media/businesses/${business.photoPath}` : "/og-default.png"}`,
      url: `${origin}/shops/${business.id}`,
    },
  };
}

/** The business's own people (and officers, staff) answer feedback publicly here. */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const form = Object.fromEntries(await request.formData());
  const feedbackId = Number(form.feedbackId);
  if (form.intent !== "answer" || !Number.isSafeInteger(feedbackId) || feedbackId <= 0) return invalidForm();
  const parsed = replySchema.safeParse(form);
  if (!parsed.success) return invalidForm(parsed.error.issues[0]?.message);
  return attempt(() => answerFeedback(context.db, user, feedbackId, parsed.data.reply, clockNow()));
}

/** Title, description and image for link previews when the page is shared in a chat app. */
export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [
        { title: data.meta.title },
        { name: "description", content: data.meta.description },
        { property: "og:type", content: "business.business" },
        { property: "og:title", content: data.meta.title },
        { property: "og:description", content: data.meta.description },
        { property: "og:image", content: data.meta.image },
        { property: "og:url", content: data.meta.url },
        { name: "twitter:card", content: "summary_large_image" },
      ]
    : [];

export default function ShopPage() {
  const { business, feedback, record, signedIn, sent, market, reviews } = useLoaderData<typeof loader>();
  const answerResult = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const address = useAddress();
  const hours = useHours();
  const english = i18n.language === "en";
  return (
    <article className="shop stack">
      <header className="shop__header">
        <p className="muted">
          {t(`directory.kinds.${business.kind}`)} · {english ? business.categoryEn : business.categoryZh}
        </p>
        <h1>{business.name}</h1>
        {reviews.average !== null ? (
          <p>
            <a href="#reviews" className="rating" data-testid="shop-rating">
              ★ {t("reviews.summary", { average: reviews.average.toFixed(1), count: reviews.count })}
            </a>
          </p>
        ) : null}
        {business.status === "closed" ? <p className="form-errors">{t("directory.shop.closedBusiness")}</p> : null}
        <div className="shop__plaques" data-testid="shop-plaques">
          {business.plaques
            .filter((p) => p.state === "current")
            .map((p) => (
              <Link key={p.code} to={`/verify/${p.code}`} className="plaque-link">
                <PlaqueBadge kind={p.kind} year={p.year} />
              </Link>
            ))}
        </div>
        <dl className="facts shop__facts">
          <dt>{t("directory.shop.now")}</dt>
          <dd>
            <OpenState open={business.openNow} />
          </dd>
          <dt>{t("directory.shop.hours")}</dt>
          <dd>{hours(business).join(" · ")}</dd>
          <dt>{t("directory.shop.address")}</dt>
          <dd>{address(business)}</dd>
          <dt>{t("directory.shop.code")}</dt>
          <dd data-testid="shop-code">{business.code}</dd>
          <dt>{t("directory.shop.phone")}</dt>
          <dd data-testid="shop-phone">
            {business.phone ? (
              business.phone.callable ? (
                <a href={`tel:${business.phone.display}`} className="call">
                  {t("directory.shop.call", { phone: business.phone.display })}
                </a>
              ) : (
                <>
                  <span>{business.phone.display}</span>
                  {business.phone.masked ? (
                    <span className="muted small"> {t("directory.shop.phoneHidden")}</span>
                  ) : null}
                </>
              )
            ) : (
              <span className="muted">{t("directory.shop.noPhone")}</span>
            )}
          </dd>
        </dl>
        <p className="shop__mediation">
          <Link
            to={`/disputes/new?business=${encodeURIComponent(business.code)}`}
            className="button"
            data-testid="ask-mediation"
          >
            {t("desk.fileDispute")}
          </Link>{" "}
          <span className="muted small">{t("directory.shop.mediationHint")}</span>
        </p>
        <p>
          <ComplainLink businessId={business.id} />
        </p>
        {business.canEdit ? (
          <Link to={`/shops/${business.id}/edit`} className="button">
            {t("directory.shop.edit")}
          </Link>
        ) : null}
      </header>
      {business.photoPath ? (
        <img
          className="shop__photo"
          {...photoSources(`/media/businesses/${business.photoPath}`, "(max-width: 720px) 100vw, 720px")}
          alt={t("directory.shop.photoAlt", { name: business.name })}
          width={640}
          height={360}
        />
      ) : null}
      {business.description ? <p className="shop__description">{business.description}</p> : null}

      <section className="card shop__products" data-testid="shop-products">
        <h2>{t("market.products")}</h2>
        {market.canManage ? (
          <p>
            <Link to={`/shops/${business.id}/products`}>{t("market.manageProducts")}</Link> ·{" "}
            <Link to={`/shops/${business.id}/orders`}>{t("market.orderBoard")}</Link>
          </p>
        ) : null}
        {market.products.length === 0 ? <p className="muted">{t("market.noProducts")}</p> : null}
        <ul className="product-list">
          {market.products.map((p) => (
            <li key={p.id} className="product-card">
              {p.photoPath ? <ProductThumb photoPath={p.photoPath} width={96} lazy /> : null}
              <div className="product-card__body">
                <Link to={`/products/${p.id}`} className="product-card__name">
                  {p.name}
                </Link>
                <p>
                  <Money fen={p.priceFen} />{" "}
                  <span className="muted small">
                    {p.stock > 0 ? t("market.stock", { count: p.stock }) : t("market.soldOut")}
                  </span>
                  {p.hidden ? <span className="tag"> {t("market.hiddenBadge")}</span> : null}
                </p>
              </div>
            </li>
          ))}
        </ul>
      </section>

      <TrustRecordCard record={record} plaqueList={false} />
      <ReviewsSection businessId={business.id} reviews={reviews} signedIn={signedIn} />

      <section className="card">
        <h2>{t("directory.shop.plaques")}</h2>
        {business.plaques.length === 0 ? <p className="muted">{t("directory.shop.noPlaques")}</p> : null}
        <ul className="plaque-history">
          {business.plaques.map((p) => (
            <li key={p.code} data-state={p.state}>
              <PlaqueBadge kind={p.kind} year={p.year} />
              <span className={`plaque-state plaque-state--${p.state}`}>
                {t(`directory.shop.plaqueStates.${p.state}`)}
              </span>
              <p className="small">{p.citation}</p>
              <p className="small muted">{t("directory.shop.issuer", { issuer: p.issuer })}</p>
              <Link to={`/verify/${p.code}`}>{t("directory.shop.verify")}</Link>
            </li>
          ))}
        </ul>
        <p className="small">
          <Link to="/plaques">{t("plaques.linkFromDirectory")}</Link>
        </p>
      </section>

      <section className="card">
        <h2>{t("directory.shop.contacts")}</h2>
        <p>
          {t("directory.shop.microGrid")}: {english ? business.microGridNameEn : business.microGridNameZh}{" "}
          <Link to={`/map?grid=${business.gridCode}`}>{t("directory.onMap")}</Link>
        </p>
        <GridContacts contacts={business.contacts} testId="grid-contacts" />
      </section>

      <section className="card stack desk" id="feedback">
        <h2>{t("desk.feedbackTitle")}</h2>
        <Outcome result={answerResult} okText={t("admin.done")} />
        {feedback.waiting.length > 0 ? (
          <div className="stack" data-testid="feedback-waiting">
            <h3>{t("desk.waitingForYou")}</h3>
            {feedback.waiting.map((f) => (
              <Form method="post" key={f.id} className="stack">
                <p>
                  <span className="badge">{t(`desk.kinds.${f.kind}`)}</span> {f.body}
                </p>
                <input type="hidden" name="feedbackId" value={f.id} />
                <label htmlFor={`answer-${f.id}`}>{t("desk.reply")}</label>
                <textarea id={`answer-${f.id}`} name="reply" rows={2} />
                <button type="submit" name="intent" value="answer" className="button button--primary">
                  {t("desk.answer")}
                </button>
              </Form>
            ))}
          </div>
        ) : null}
        <ul className="desk__answers" data-testid="shop-feedback">
          {feedback.answered.map((f) => (
            <li key={f.id}>
              <p>
                <span className="badge">{t(`desk.kinds.${f.kind}`)}</span> {f.body}{" "}
                <span className="muted small">— {f.author ?? t("desk.anonymous")}</span>
              </p>
              <p className="desk__reply">
                <strong>{t("desk.answeredBy")}：</strong>
                {f.reply}
              </p>
            </li>
          ))}
        </ul>
        {sent ? <Notice>{t("desk.feedbackSent")}</Notice> : null}
        <h3>{t("desk.giveFeedback")}</h3>
        <FeedbackForm
          source="shop_page"
          businessId={business.id}
          returnTo={`/shops/${business.id}#feedback`}
          signedIn={signedIn}
        />
      </section>
    </article>
  );
}
