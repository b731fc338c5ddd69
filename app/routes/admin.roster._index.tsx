import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Link } from "~/components/link";
import { useTranslation } from "~/i18n/react";
import { assertCan } from "~/domain/accounts/permissions";
import { isDomainError } from "~/domain/errors";
import { maxRosterBytes } from "~/domain/roster/read.server";
import {
  findRosterBusinesses,
  recentRosterImports,
  rosterRetentionDays,
  setRosterRetentionDays,
  startRosterImport,
} from "~/domain/roster/roster.server";
import { orErrorPage, requireUser } from "~/lib/http.server";
import { formatDateTime } from "~/lib/time";
import { megabytes, readMultipartForm } from "~/lib/uploads.server";
import { InputField, TooLargeFiles, type TooLarge } from "~/components/field";
import { SubmitButton } from "~/components/submit-button";
import { ButtonLink, HiddenLabel, Notice, PageSection } from "~/components/page-parts";
import { useRootData } from "~/root";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "adminRoster");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const q = (new URL(request.url).searchParams.get("q") ?? "").slice(0, 50);
  const [imports, found] = await orErrorPage(() =>
    Promise.all([recentRosterImports(context.db, user), findRosterBusinesses(context.db, user, q)]),
  );
  return { imports, q, found, retentionDays: await rosterRetentionDays(context.db) };
}

/** The retention form is a plain form; the upload is multipart. */
async function setRetention(request: Request, context: ActionFunctionArgs["context"]) {
  const user = requireUser(context, request);
  const raw = String((await request.formData()).get("days") ?? "").trim();
  const days = /^\d{1,4}$/.test(raw) ? Number(raw) : -1;
  try {
    await setRosterRetentionDays(context.db, user, days);
    return { error: null, retentionSaved: days };
  } catch (error) {
    if (isDomainError(error) && error.status === 400)
      return data({ error: error.code, params: error.params, retentionSaved: null }, { status: 400 });
    return orErrorPage(() => Promise.reject(error));
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  // Only administrators may upload; check before reading the body.
  await orErrorPage(async () => assertCan(user, { action: "roster.manage" }));
  if ((request.headers.get("content-type") ?? "").startsWith("application/x-www-form-urlencoded"))
    return setRetention(request, context);
  try {
    const { form, tooLarge } = await readMultipartForm(request, { maxFileBytes: maxRosterBytes, maxFiles: 1 });
    if (tooLarge.length > 0)
      return data(
        {
          error: "roster.errors.tooLarge",
          tooLarge: { names: tooLarge.map((f) => f.name), max: megabytes(maxRosterBytes) },
        },
        { status: 400 },
      );
    const file = form.get("file");
    if (!(file instanceof Blob) || file.size === 0) {
      return data(
        { error: file instanceof File && file.name ? "roster.errors.empty" : "roster.errors.noFile" },
        { status: 400 },
      );
    }
    const id = await startRosterImport(
      context.db,
      user,
      file instanceof File ? file.name : "roster",
      new Uint8Array(await file.arrayBuffer()),
    );
    return redirect(`/admin/roster/imports/${id}`);
  } catch (error) {
    if (isDomainError(error)) return data({ error: error.code }, { status: error.status });
    throw error;
  }
}

export default function Roster() {
  const { imports, q, found, retentionDays } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const { t } = useTranslation();
  const locale = useRootData()?.locale ?? "zh-CN";
  return (
    <PageSection className="stack roster" title={t("roster.title")} intro={t("roster.intro")}>
      <Form method="post" encType="multipart/form-data" className="stack">
        {actionData && "tooLarge" in actionData ? (
          <div className="form-errors">
            <TooLargeFiles tooLarge={actionData.tooLarge as TooLarge} kept={false} />
          </div>
        ) : actionData?.error ? (
          <div className="form-errors" role="alert">
            <p>{t(actionData.error)}</p>
          </div>
        ) : null}
        <InputField
          id="roster-file"
          label={t("roster.file")}
          hint={t("roster.fileHint")}
          type="file"
          name="file"
          required
          accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        />
        <button type="submit" className="button button--primary" disabled={busy}>
          {t("roster.upload")}
        </button>
      </Form>

      <h2>{t("roster.export")}</h2>
      <p className="roster__links">
        <a className="button" href="/admin/roster/export?format=csv" download>
          {t("roster.exportCsv")}
        </a>
        <a className="button" href="/admin/roster/export?format=xlsx" download>
          {t("roster.exportXlsx")}
        </a>
        <a className="button" href="/admin/roster/export?format=xlsx&headers=en" download>
          {t("roster.exportXlsx")} · {t("roster.exportEnglish")}
        </a>
      </p>

      <h2>{t("roster.find")}</h2>
      <p className="roster__links">
        <ButtonLink to="/admin/roster/new">{t("roster.add")}</ButtonLink>
        <ButtonLink to="/admin/grids">{t("roster.gridsLink")}</ButtonLink>
      </p>
      <Form method="get" className="roster__find">
        <HiddenLabel htmlFor="roster-q">{t("roster.find")}</HiddenLabel>
        <input id="roster-q" type="search" name="q" defaultValue={q} placeholder={t("roster.findHint")} />
        <SubmitButton label={t("roster.findButton")} />
      </Form>
      {q ? (
        found.length === 0 ? (
          <p>{t("roster.noMatches")}</p>
        ) : (
          <ul className="link-list">
            {found.map((b) => (
              <li key={b.id}>
                <Link to={`/admin/roster/${b.id}`}>
                  {b.name} <span className="muted">{b.code}</span>
                </Link>
                {b.status === "closed" ? <span className="muted"> · {t("roster.closedTag")}</span> : null}
              </li>
            ))}
          </ul>
        )
      ) : null}

      <h2>{t("roster.retention.title")}</h2>
      <p data-testid="roster-retention">{t("roster.retention.current", { days: retentionDays })}</p>
      <Form method="post" className="roster__find">
        {actionData && "retentionSaved" in actionData && actionData.retentionSaved ? (
          <Notice>{t("roster.retention.saved", { days: actionData.retentionSaved })}</Notice>
        ) : null}
        {actionData?.error && "params" in actionData ? (
          <Notice ok={false}>{t(actionData.error, actionData.params as Record<string, string | number>)}</Notice>
        ) : null}
        <HiddenLabel htmlFor="roster-days">{t("roster.retention.label")}</HiddenLabel>
        <input
          id="roster-days"
          name="days"
          type="number"
          min={1}
          max={365}
          required
          defaultValue={retentionDays}
          aria-label={t("roster.retention.label")}
        />
        <SubmitButton label={t("roster.retention.save")} />
      </Form>

      {imports.length > 0 ? (
        <>
          <h2>{t("roster.recent")}</h2>
          <ul className="link-list">
            {imports.map((i) => (
              <li key={i.id}>
                <Link to={`/admin/roster/imports/${i.id}`}>{i.fileName}</Link>{" "}
                <span className="muted">
                  {t(`roster.statuses.${i.status}`)} · {formatDateTime(i.createdAt, locale)}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </PageSection>
  );
}
