import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { isDomainError } from "~/domain/errors";
import { confirmRosterImport, discardRosterImport, rosterImport } from "~/domain/roster/roster.server";
import { orErrorPage, requireUser } from "~/lib/http.server";

function importId(param: string | undefined) {
  const id = Number(param);
  if (!Number.isSafeInteger(id) || id <= 0) throw data({ code: "errors.notFound" }, { status: 404 });
  return id;
}

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const id = importId(params.id);
  const stored = await orErrorPage(() => rosterImport(context.db, user, id));
  const all = new URL(request.url).searchParams.get("all") === "1";
  return {
    id,
    fileName: stored.fileName,
    status: stored.status,
    counts: stored.counts,
    all,
    rows: stored.plan.filter((p) => all || p.action !== "unchanged"),
  };
}

const intentSchema = z.object({ intent: z.enum(["confirm", "discard"]) });

export async function action({ params, request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const id = importId(params.id);
  const parsed = intentSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) throw data({ code: "errors.invalid" }, { status: 400 });
  try {
    if (parsed.data.intent === "confirm") await confirmRosterImport(context.db, user, id);
    else await discardRosterImport(context.db, user, id);
    return { error: null };
  } catch (error) {
    if (isDomainError(error) && error.status !== 403 && error.status !== 404)
      return data({ error: error.code }, { status: error.status });
    return orErrorPage(() => Promise.reject(error));
  }
}

export default function RosterDryRun() {
  const { id, fileName, status, counts, rows, all } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <section className="stack roster">
      <h1>{t("roster.dryRun.title", { file: fileName })}</h1>
      {status === "pending" ? <p className="notice">{t("roster.dryRun.notice")}</p> : null}
      {status === "applied" ? (
        <p className="notice-ok" role="status" data-testid="roster-applied">
          {t("roster.dryRun.applied", counts)}
        </p>
      ) : null}
      {status === "discarded" ? <p className="notice">{t("roster.dryRun.discarded")}</p> : null}
      {actionData?.error ? (
        <div className="form-errors" role="alert">
          <p>{t(actionData.error)}</p>
        </div>
      ) : null}
      <p data-testid="roster-summary">{t("roster.dryRun.summary", counts)}</p>
      {status === "pending" ? (
        counts.refused > 0 ? (
          <p className="form-errors" role="alert">
            {t("roster.dryRun.blocked")}
          </p>
        ) : (
          <Form method="post" className="roster__decide">
            <button type="submit" name="intent" value="confirm" className="button button--primary">
              {t("roster.dryRun.confirm")}
            </button>
            <button type="submit" name="intent" value="discard" className="button">
              {t("roster.dryRun.discard")}
            </button>
          </Form>
        )
      ) : null}
      <div className="table-wrap">
        <table className="roster__table">
          <thead>
            <tr>
              <th scope="col">{t("roster.dryRun.line")}</th>
              <th scope="col">{t("roster.dryRun.action")}</th>
              <th scope="col">{t("roster.dryRun.name")}</th>
              <th scope="col">{t("roster.dryRun.code")}</th>
              <th scope="col">{t("roster.dryRun.place")}</th>
              <th scope="col">{t("roster.dryRun.detail")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.line} className={`roster__row roster__row--${row.action}`} data-line={row.line}>
                <td>{row.line}</td>
                <td>{t(`roster.actions.${row.action}`)}</td>
                <td>{row.name}</td>
                <td>{row.code}</td>
                <td>{row.place}</td>
                <td>
                  {row.action === "refused" || row.action === "ignored"
                    ? row.reasons.map((r) => <p key={r.key}>{t(`roster.reasons.${r.key}`, r.params ?? {})}</p>)
                    : row.action === "update"
                      ? t("roster.dryRun.changes", {
                          columns: row.changes.map((c) => t(`roster.columns.${c}`)).join(t("roster.listSeparator")),
                        })
                      : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!all && counts.unchanged > 0 ? (
        <p>
          {t("roster.dryRun.unchangedHidden", { count: counts.unchanged })}{" "}
          <Link to={`/admin/roster/imports/${id}?all=1`}>
            {t("roster.dryRun.showAll", { count: counts.unchanged + rows.length })}
          </Link>
        </p>
      ) : null}
      <p>
        <Link to="/admin/roster">{t("roster.dryRun.again")}</Link>
      </p>
    </section>
  );
}
