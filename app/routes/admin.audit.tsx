import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { assertCan } from "~/domain/accounts/permissions";
import { listAudit } from "~/domain/audit.server";
import { orErrorPage, requireUser } from "~/lib/http.server";
import { formatDateTime } from "~/lib/time";
import { useRootData } from "~/root";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "adminAudit");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  await orErrorPage(async () => assertCan(user, { action: "audit.read" }));
  return { entries: await listAudit(context.db) };
}

export default function Audit() {
  const { entries } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const locale = useRootData()?.locale ?? "zh-CN";
  return (
    <section className="stack">
      <h1>{t("admin.audit")}</h1>
      <p>{t("admin.auditIntro")}</p>
      <div className="table-wrap">
        <table data-testid="audit-table">
          <thead>
            <tr>
              <th scope="col">{t("admin.at")}</th>
              <th scope="col">{t("admin.actor")}</th>
              <th scope="col">{t("admin.action")}</th>
              <th scope="col">{t("admin.subject")}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id}>
                <td>{formatDateTime(entry.at, locale)}</td>
                <td>{entry.actorName ?? "—"}</td>
                <td>
                  <code>{entry.action}</code>
                </td>
                <td>
                  {entry.subjectType} {entry.subjectId}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
