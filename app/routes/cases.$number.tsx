import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { Link } from "~/components/link";
import { pageMeta } from "~/i18n/meta";
import { useTranslation } from "~/i18n/react";
import { CaseLookup } from "~/components/trust";
import { caseByNumber } from "~/domain/feedback/complaints.server";
import { formatDateTime } from "~/lib/time";
import { NotFoundBoundary } from "~/components/page-parts";

/** A complaint's public case page: status and dates, no names and no text (ADR 020). */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const found = await caseByNumber(context.db, context.actor, (params.number ?? "").slice(0, 40));
  if (!found) throw data({ code: "trust.cases.notFound" }, { status: 404 });
  return found;
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageMeta(matches, data ? { title: data.caseNumber } : "cases", { noindex: true });

export default function CasePage() {
  const c = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  const { t, i18n } = useTranslation();
  const locale = i18n.language === "en" ? "en" : "zh-CN";
  return (
    <section className="narrow stack desk" data-testid="case-page" data-status={c.status}>
      {search.get("filed") ? (
        <div className="notice-ok stack" role="status">
          <p>
            {t("trust.cases.filed")} <strong data-testid="case-number-filed">{c.caseNumber}</strong>
          </p>
          <p className="small">{t("trust.cases.keep")}</p>
        </div>
      ) : null}
      <h1 data-testid="case-number">{t("trust.cases.caseTitle", { number: c.caseNumber })}</h1>
      <p>
        {t("trust.cases.statusLabel")}:{" "}
        <strong className="badge" data-testid="case-status">
          {t(`trust.cases.status.${c.status}`)}
        </strong>
      </p>
      <p className="muted small">{t("trust.cases.lastChange", { date: formatDateTime(c.lastChange, locale) })}</p>
      {c.filer ? (
        <p>
          {c.filer.businessId ? (
            <Link to={`/shops/${c.filer.businessId}`}>{t("trust.cases.business", { name: c.filer.businessName })}</Link>
          ) : null}
          {c.filer.disputeId ? (
            <>
              {" · "}
              <Link to={`/disputes/${c.filer.disputeId}`}>{t("trust.cases.openDispute")}</Link>
            </>
          ) : null}
        </p>
      ) : null}
      <ol className="timeline" data-testid="case-steps">
        {c.steps.map((s, i) => (
          <li key={i} data-step={s.step}>
            <span>{t(`trust.cases.steps.${s.step}`)}</span>{" "}
            <span className="muted small">{formatDateTime(s.at, locale)}</span>
          </li>
        ))}
      </ol>
      <p className="muted small">{t("trust.cases.publicNote")}</p>
      <p>
        <Link to="/cases">{t("trust.cases.mine")}</Link>
      </p>
    </section>
  );
}

export function ErrorBoundary() {
  const { t } = useTranslation();
  return (
    <NotFoundBoundary>
      <section className="narrow stack desk">
        <h1>{t("trust.cases.title")}</h1>
        <p className="form-errors" role="alert" data-testid="case-not-found">
          {t("trust.cases.notFound")}
        </p>
        <CaseLookup />
      </section>
    </NotFoundBoundary>
  );
}
