import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { useLoaderData } from "@remix-run/react";
import { LinkItem } from "~/components/page-parts";
import { useTranslation } from "~/i18n/react";
import { assertCan, can } from "~/domain/accounts/permissions";
import { backgroundJobs } from "~/domain/jobs/jobs.server";
import { jobStatuses } from "~/domain/jobs/runner.server";
import { orErrorPage, requireUser } from "~/lib/http.server";
import { formatDateTime } from "~/lib/time";
import { useRootData } from "~/root";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "admin");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  await orErrorPage(async () => assertCan(user, { action: "admin.enter" }));
  // The background jobs are shown to administrators, like the audit log.
  const jobs = can(user, { action: "audit.read" }) ? await jobStatuses(context.db, user, backgroundJobs) : null;
  return { jobs };
}

export default function Admin() {
  const { jobs } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const locale = useRootData()?.locale ?? "zh-CN";
  const what = (detail: Record<string, number> | null) =>
    Object.entries(detail ?? {})
      .filter(([, n]) => n > 0)
      .map(([key, n]) => t(`jobs.detail.${key}`, { count: n }))
      .join(t("roster.listSeparator"));
  return (
    <section className="stack">
      <h1>{t("admin.title")}</h1>
      <ul className="link-list">
        <LinkItem to="/admin/claim-codes">{t("admin.claimCodes")}</LinkItem>
        <LinkItem to="/admin/roles">{t("admin.roles")}</LinkItem>
        <LinkItem to="/admin/studio-quotas">{t("studio.quota.title")}</LinkItem>
        <LinkItem to="/admin/audit">{t("admin.audit")}</LinkItem>
        <LinkItem to="/admin/roster">{t("roster.title")}</LinkItem>
        <LinkItem to="/admin/grids">{t("roster.grids.title")}</LinkItem>
        <LinkItem to="/admin/plaques">{t("plaques.admin.title")}</LinkItem>
        <LinkItem to="/admin/market">{t("market.admin.title")}</LinkItem>
      </ul>
      {jobs ? (
        <>
          <h2>{t("jobs.title")}</h2>
          <p className="muted">{t("jobs.intro")}</p>
          <ul className="jobs" data-testid="jobs">
            {jobs.map((job) => (
              <li key={job.name} className="jobs__job" data-job={job.name}>
                <p className="jobs__name">
                  <strong>{t(`jobs.names.${job.name}`)}</strong>{" "}
                  <span className="muted">· {t("jobs.every", { count: job.everyMinutes })}</span>
                </p>
                {job.lastStartedAt === null ? (
                  <p className="muted">{t("jobs.never")}</p>
                ) : (
                  <p data-testid="job-last-run">
                    {t("jobs.lastRun", { at: formatDateTime(job.lastFinishedAt ?? job.lastStartedAt, locale) })} ·{" "}
                    {job.running
                      ? t("jobs.running")
                      : job.lastOutcome === "failed"
                        ? t("jobs.failed")
                        : job.lastChanged
                          ? t("jobs.changed", { count: job.lastChanged })
                          : t("jobs.nothing")}
                  </p>
                )}
                {job.lastStartedAt !== null ? (
                  <p className="muted" data-testid="job-last-change">
                    {job.lastChangeAt
                      ? t("jobs.lastChange", {
                          at: formatDateTime(job.lastChangeAt, locale),
                          what: what(job.lastChangeDetail) || t("jobs.changed", { count: job.lastChangeCount ?? 0 }),
                        })
                      : t("jobs.noChangeYet")}
                  </p>
                ) : null}
                {job.lastFailedAt && job.lastError ? (
                  <p className="form-errors" data-testid="job-last-error">
                    {t("jobs.lastError", { at: formatDateTime(job.lastFailedAt, locale), error: job.lastError })}
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
