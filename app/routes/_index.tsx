import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { Form, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { useTranslation } from "~/i18n/react";
import { districtCounts } from "~/domain/directory/stats.server";
import { SubmitButton } from "~/components/submit-button";
import { HiddenLabel } from "~/components/page-parts";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "home");

export async function loader({ context }: LoaderFunctionArgs) {
  return { counts: await districtCounts(context.db) };
}

export default function Home() {
  const { counts } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const stats = [
    ["shops", counts.shops],
    ["stalls", counts.stalls],
    ["streets", counts.streets],
    ["grids", counts.grids],
    ["microGrids", counts.microGrids],
    ["plaques", counts.plaques],
  ] as const;
  return (
    <>
      <section className="hero">
        <h1>{t("home.title")}</h1>
        <p>{t("home.intro", { shops: counts.shops, stalls: counts.stalls })}</p>
        <Form method="get" action="/shops" className="home-search" role="search">
          <HiddenLabel htmlFor="home-q">{t("directory.search")}</HiddenLabel>
          <input
            id="home-q"
            name="q"
            type="search"
            placeholder={t("directory.searchPlaceholder")}
            enterKeyHint="search"
          />
          <SubmitButton primary label={t("directory.apply")} />
        </Form>
        <p className="home-links">
          <Link to="/shops?plaque=any">{t("home.plaqueHolders")}</Link> ·{" "}
          <Link to="/shops?open=now">{t("directory.openNow")}</Link> ·{" "}
          <Link to="/shops?night=1">{t("directory.nightMarket")}</Link> · <Link to="/map">{t("nav.map")}</Link>
        </p>
      </section>
      <section aria-label={t("home.title")}>
        <dl className="stats">
          {stats.map(([key, value]) => (
            <div className="stat" key={key} data-testid={`stat-${key}`}>
              <dt>{t(`home.stats.${key}`)}</dt>
              <dd>{value.toLocaleString()}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section className="card">
        <h2>{t("home.plaquesTitle")}</h2>
        <ul className="plaque-list">
          <li className="plaque plaque--recommended">{t("home.recommended")}</li>
          <li className="plaque plaque--model">{t("home.modelMerchant")}</li>
        </ul>
        <p>{t("home.plaquesBody")}</p>
        <Link to="/plaques">{t("plaques.linkFromDirectory")}</Link>
      </section>
      <section className="card">
        <h2>{t("home.forMerchants")}</h2>
        <p>{t("home.forMerchantsBody")}</p>
        <Link className="button" to="/account/claim">
          {t("home.claimCta")}
        </Link>
      </section>
    </>
  );
}
