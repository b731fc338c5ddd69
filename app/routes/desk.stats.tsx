import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { BarChart } from "~/components/desk";
import { deskStats } from "~/domain/disputes/stats.server";
import { orErrorPage, requireUser } from "~/lib/http.server";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "deskStats");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  return orErrorPage(() => deskStats(context.db, user));
}

export default function DeskStats() {
  const stats = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const percent = (x: number | null) => (x === null ? t("desk.statsPage.none") : `${Math.round(x * 1000) / 10}%`);
  const number = (x: number | null) =>
    x === null
      ? t("desk.statsPage.none")
      : new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1 }).format(x);
  const d = stats.disputes;
  return (
    <section className="stack desk">
      <p>
        <Link to="/desk">← {t("desk.deskTitle")}</Link>
      </p>
      <h1>{t("desk.statsPage.title")}</h1>
      <table className="chart__table" data-testid="stats-summary">
        <caption>{t("desk.statsPage.summary")}</caption>
        <tbody>
          <tr>
            <th scope="row">{t("desk.statsPage.total")}</th>
            <td data-testid="stat-total">{d.total}</td>
          </tr>
          <tr>
            <th scope="row">{t("desk.statsPage.resolvedShare")}</th>
            <td data-testid="stat-resolved-share">{percent(d.resolvedShare)}</td>
          </tr>
          <tr>
            <th scope="row">{t("desk.statsPage.medianDays")}</th>
            <td data-testid="stat-median-days">{number(d.medianDaysToResolve)}</td>
          </tr>
          <tr>
            <th scope="row">{t("desk.statsPage.gridShare")}</th>
            <td data-testid="stat-grid-share">{percent(d.resolvedAtGridShare)}</td>
          </tr>
          <tr>
            <th scope="row">{t("desk.statsPage.satisfactionMean")}</th>
            <td data-testid="stat-satisfaction">
              {number(d.satisfaction.mean)} ({d.satisfaction.count})
            </td>
          </tr>
        </tbody>
      </table>
      <BarChart
        title={t("desk.statsPage.byCategory")}
        rows={d.byCategory.map((r) => ({ label: t(`desk.categories.${r.key}`), value: r.count }))}
      />
      <BarChart
        title={t("desk.statsPage.byLevel")}
        rows={d.byLevel.map((r) => ({ label: t(`desk.levels.${r.key}`), value: r.count }))}
      />
      <BarChart title={t("desk.statsPage.byMonth")} rows={d.byMonth.map((r) => ({ label: r.key, value: r.count }))} />
      <BarChart
        title={t("desk.statsPage.satisfaction")}
        rows={d.satisfaction.byScore.map((r) => ({ label: r.key, value: r.count }))}
      />
      <BarChart
        title={t("desk.statsPage.feedbackByKind")}
        rows={stats.feedback.byKind.map((r) => ({ label: t(`desk.kinds.${r.key}`), value: r.count }))}
      />
      <BarChart
        title={t("desk.statsPage.feedbackBySource")}
        rows={stats.feedback.bySource.map((r) => ({ label: t(`desk.sources.${r.key}`), value: r.count }))}
      />
    </section>
  );
}
