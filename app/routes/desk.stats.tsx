import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { BarChart } from "~/components/desk";
import { PageHeading } from "~/components/page-parts";
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
  /** The summary's rows: the label's key, the cell's test id, the figure. */
  const summary = [
    ["total", "stat-total", d.total],
    ["resolvedShare", "stat-resolved-share", percent(d.resolvedShare)],
    ["medianDays", "stat-median-days", number(d.medianDaysToResolve)],
    ["gridShare", "stat-grid-share", percent(d.resolvedAtGridShare)],
    ["satisfactionMean", "stat-satisfaction", `${number(d.satisfaction.mean)} (${d.satisfaction.count})`],
  ] as const;
  return (
    <section className="stack desk">
      <PageHeading title={t("desk.statsPage.title")} back={{ to: "/desk", label: t("desk.deskTitle") }} />
      <table className="chart__table" data-testid="stats-summary">
        <caption>{t("desk.statsPage.summary")}</caption>
        <tbody>
          {summary.map(([key, testId, value]) => (
            <tr key={key}>
              <th scope="row">{t(`desk.statsPage.${key}`)}</th>
              <td data-testid={testId}>{value}</td>
            </tr>
          ))}
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
