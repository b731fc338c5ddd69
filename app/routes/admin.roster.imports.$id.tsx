import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { useTranslation } from "~/i18n/react";
import { z } from "zod";
import { isDomainError } from "~/domain/errors";
import { confirmRosterImport, discardRosterImport, rosterImportView } from "~/domain/roster/roster.server";
import { orErrorPage, requireUser } from "~/lib/http.server";
import { recordIdOr404 } from "~/lib/page-id.server";
import { SubmitButton } from "~/components/submit-button";
import { Notice, WideTable } from "~/components/page-parts";
import { parsedOr400 } from "~/lib/forms.server";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "adminRosterImport");

const importId = (param: string | undefined) => recordIdOr404(param);

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const id = importId(params.id);
  const stored = await orErrorPage(() => rosterImportView(context.db, user, id, context.locale));
  const all = new URL(request.url).searchParams.get("all") === "1";
  return {
    id,
    fileName: stored.fileName,
    status: stored.status,
    counts: stored.counts,
    notes: stored.notes,
    purgedAt: stored.purgedAt,
    all,
    rows: stored.plan.filter((p) => all || p.action !== "unchanged"),
  };
}

const intentSchema = z.object({ intent: z.enum(["confirm", "discard"]) });

export async function action({ params, request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const id = importId(params.id);
  const { intent } = parsedOr400(intentSchema, Object.fromEntries(await request.formData()));
  try {
    if (intent === "confirm") await confirmRosterImport(context.db, user, id);
    else await discardRosterImport(context.db, user, id);
    return { error: null };
  } catch (error) {
    if (isDomainError(error) && error.status !== 403 && error.status !== 404)
      return data({ error: error.code }, { status: error.status });
    return orErrorPage(() => Promise.reject(error));
  }
}

export default function RosterDryRun() {
  const { id, fileName, status, counts, notes, purgedAt, rows, all } = useLoaderData<typeof loader>();
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
      {purgedAt ? (
        <p className="notice" data-testid="roster-purged">
          {t("roster.dryRun.purged")}
        </p>
      ) : null}
      {notes.map((note) => (
        <p key={`${note.key}-${String(note.params.sheet)}`} className="notice" role="status" data-testid="roster-note">
          {t(`roster.notes.${note.key}`, note.params)}
        </p>
      ))}
      {actionData?.error ? (
        <div className="form-errors" role="alert">
          <p>{t(actionData.error)}</p>
        </div>
      ) : null}
      <p data-testid="roster-summary">{t("roster.dryRun.summary", counts)}</p>
      {status === "pending" ? (
        counts.refused > 0 ? (
          <Notice ok={false}>{t("roster.dryRun.blocked")}</Notice>
        ) : (
          <Form method="post" className="roster__decide">
            <SubmitButton intent="confirm" primary label={t("roster.dryRun.confirm")} />
            <SubmitButton intent="discard" label={t("roster.dryRun.discard")} />
          </Form>
        )
      ) : null}
      <WideTable
        className="roster__table"
        columns={[
          t("roster.dryRun.line"),
          t("roster.dryRun.action"),
          t("roster.dryRun.name"),
          t("roster.dryRun.code"),
          t("roster.dryRun.place"),
          t("roster.dryRun.detail"),
        ]}
      >
        {rows.map((row) => (
          <tr key={row.line} className={`roster__row roster__row--${row.action}`} data-line={row.line}>
            <td className="roster__line" data-label={t("roster.dryRun.line")}>
              {row.line}
            </td>
            <td className="roster__action" data-label={t("roster.dryRun.action")}>
              {t(`roster.actions.${row.action}`)}
            </td>
            <td className="roster__name" data-label={t("roster.dryRun.name")}>
              {row.name}
            </td>
            <td className="roster__code" data-label={t("roster.dryRun.code")}>
              {row.code}
            </td>
            <td className="roster__place" data-label={t("roster.dryRun.place")}>
              {row.place}
            </td>
            <td className="roster__detail" data-label={t("roster.dryRun.detail")}>
              {row.action === "refused" || row.action === "ignored"
                ? row.reasons.map((r) => (
                    <p key={r.key}>
                      {t(`roster.reasons.${r.key}`, {
                        ...r.params,
                        ...(typeof r.params?.column === "string"
                          ? { column: t(`roster.columns.${r.params.column}`) }
                          : {}),
                      })}
                    </p>
                  ))
                : null}
              {row.stored.length > 0 ? (
                <>
                  <p>{t(row.action === "update" ? "roster.dryRun.willChange" : "roster.dryRun.willStore")}</p>
                  <dl className="roster__stored" data-testid="roster-stored">
                    {row.stored.map((c) => (
                      <div key={c.column}>
                        <dt>{t(`roster.columns.${c.column}`)}</dt>
                        <dd>
                          {c.column === "night"
                            ? t(c.value === "yes" ? "roster.yes" : "roster.no")
                            : c.value || t("roster.dryRun.blank")}
                        </dd>
                      </div>
                    ))}
                  </dl>
                </>
              ) : null}
            </td>
          </tr>
        ))}
      </WideTable>
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
