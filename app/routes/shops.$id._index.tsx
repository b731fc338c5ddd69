import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { GridContacts, OpenState, PlaqueBadge, useAddress, useHours } from "~/components/directory";
import { businessPage } from "~/domain/directory/business.server";
import { createI18n } from "~/i18n/i18n";
import { orErrorPage } from "~/lib/http.server";

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const id = Number(params.id);
  if (!Number.isSafeInteger(id) || id <= 0) throw data({ code: "directory.errors.notFound" }, { status: 404 });
  const business = await orErrorPage(() => businessPage(context.db, context.actor, id));
  const t = createI18n(context.locale).t;
  const origin = new URL(request.url).origin;
  const plaqueText = business.plaques.filter((p) => p.state === "current").map((p) => t(`directory.plaqueKinds.${p.kind}`));
  return {
    business,
    meta: {
      title: `${business.name} · ${t("app.name")}`,
      description: [plaqueText.join("、"), business.description].filter(Boolean).join(" · ").slice(0, 160) || t("app.tagline"),
      image: `${origin}${business.photoPath ? `/media/businesses/${business.photoPath}` : "/og-default.png"}`,
      url: `${origin}/shops/${business.id}`,
    },
  };
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
  const { business } = useLoaderData<typeof loader>();
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
                  {business.phone.masked ? <span className="muted small"> {t("directory.shop.phoneHidden")}</span> : null}
                </>
              )
            ) : (
              <span className="muted">{t("directory.shop.noPhone")}</span>
            )}
          </dd>
        </dl>
        {business.canEdit ? (
          <Link to={`/shops/${business.id}/edit`} className="button">
            {t("directory.shop.edit")}
          </Link>
        ) : null}
      </header>
      {business.photoPath ? (
        <img
          className="shop__photo"
          src={`/media/businesses/${business.photoPath}`}
          alt={t("directory.shop.photoAlt", { name: business.name })}
          width={640}
          height={360}
        />
      ) : null}
      {business.description ? <p className="shop__description">{business.description}</p> : null}

      <section className="card">
        <h2>{t("directory.shop.plaques")}</h2>
        {business.plaques.length === 0 ? <p className="muted">{t("directory.shop.noPlaques")}</p> : null}
        <ul className="plaque-history">
          {business.plaques.map((p) => (
            <li key={p.code} data-state={p.state}>
              <PlaqueBadge kind={p.kind} year={p.year} />
              <span className={`plaque-state plaque-state--${p.state}`}>{t(`directory.shop.plaqueStates.${p.state}`)}</span>
              <p className="small">{p.citation}</p>
              <p className="small muted">{t("directory.shop.issuer", { issuer: p.issuer })}</p>
              <Link to={`/verify/${p.code}`}>{t("directory.shop.verify")}</Link>
            </li>
          ))}
        </ul>
      </section>

      <section className="card">
        <h2>{t("directory.shop.contacts")}</h2>
        <p>
          {t("directory.shop.microGrid")}: {english ? business.microGridNameEn : business.microGridNameZh}{" "}
          <Link to={`/map?grid=${business.gridCode}`}>{t("directory.onMap")}</Link>
        </p>
        <GridContacts contacts={business.contacts} testId="grid-contacts" />
      </section>
    </article>
  );
}
