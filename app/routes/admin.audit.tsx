import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import type { TFunction } from "i18next";
import { pageMeta } from "~/i18n/meta";
import { useTranslation } from "~/i18n/react";
import { auditSentence, type AuditLineData } from "~/components/audit-sentence";
import { AUDIT_AREAS } from "~/domain/audit-actions";
import { auditFilterFrom, auditLogPage, type AuditFilter } from "~/domain/audit.server";
import { orErrorPage, requireUser } from "~/lib/http.server";
import { withoutEmptyParams } from "~/lib/query.server";
import { formatDateTime } from "~/lib/time";
import { useRootData } from "~/root";
import { SubmitButton } from "~/components/submit-button";
import { InputField } from "~/components/field";
import { VocabularySelect } from "~/components/page-parts";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "adminAudit");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const url = new URL(request.url);
  // A GET form sends its empty fields too: the address keeps only the filters chosen.
  const clean = withoutEmptyParams(url);
  if (clean) throw redirect(clean);
  const filter = auditFilterFrom(url.searchParams);
  const page = await orErrorPage(() => auditLogPage(context.db, user, filter));
  return { filter, ...page };
}

/** The query string of the filters, on another page. */
function searchOf(filter: AuditFilter, page: number): string {
  const params = new URLSearchParams();
  if (filter.area) params.set("area", filter.area);
  if (filter.person) params.set("person", filter.person);
  if (filter.from) params.set("from", filter.from);
  if (filter.to) params.set("to", filter.to);
  if (page > 1) params.set("page", String(page));
  const search = params.toString();
  return search ? `?${search}` : "";
}

export default function Audit() {
  const { filter, lines, page, hasOlder } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const locale = useRootData()?.locale ?? "zh-CN";
  const filtered = Boolean(filter.area || filter.person || filter.from || filter.to);
  return (
    <section className="stack">
      <h1>{t("audit.title")}</h1>
      <p>{t("audit.intro")}</p>
      <Form method="get" className="filters audit-filters" aria-label={t("audit.filters")}>
        <div className="filters__grid audit-filters__grid">
          <div className="field">
            <label htmlFor="audit-area">{t("audit.area")}</label>
            <VocabularySelect
              id="audit-area"
              name="area"
              values={AUDIT_AREAS}
              messages="audit.areas"
              defaultValue={filter.area ?? ""}
              anyLabel={t("audit.allAreas")}
            />
          </div>
          <InputField
            id="audit-person"
            label={t("audit.person")}
            name="person"
            type="search"
            defaultValue={filter.person ?? ""}
            placeholder={t("audit.personHint")}
            autoComplete="off"
            maxLength={40}
          />
          {(["from", "to"] as const).map((end) => (
            <InputField
              key={end}
              id={`audit-${end}`}
              label={t(`audit.${end}`)}
              name={end}
              type="date"
              defaultValue={filter[end] ?? ""}
            />
          ))}
        </div>
        <div className="filters__actions">
          <SubmitButton primary label={t("audit.apply")} />
          {filtered ? (
            <Link to="/admin/audit" className="button">
              {t("audit.clear")}
            </Link>
          ) : null}
        </div>
      </Form>
      {lines.length === 0 ? <p className="muted">{t("audit.empty")}</p> : null}
      <ol className="audit-list" data-testid="audit-log">
        {lines.map((line) => (
          <li key={line.id} className="audit-line" data-testid="audit-line">
            <p className="audit-line__meta">
              <time dateTime={new Date(line.at).toISOString()}>{formatDateTime(line.at, locale)}</time>
              {line.area ? <span className="audit-line__area">{t(`audit.areas.${line.area}`)}</span> : null}
            </p>
            <p className="audit-line__sentence">
              <AuditSentence line={line} t={t} />
            </p>
            {line.reason ? <p className="audit-line__reason">{t("audit.reason", { reason: line.reason })}</p> : null}
          </li>
        ))}
      </ol>
      {page > 1 || hasOlder ? (
        <nav className="pager" aria-label={t("audit.pages")}>
          {page > 1 ? (
            <Link rel="prev" to={`/admin/audit${searchOf(filter, page - 1)}`} className="button">
              {t("audit.newer")}
            </Link>
          ) : (
            <span />
          )}
          <span>{t("audit.count", { page })}</span>
          {hasOlder ? (
            <Link rel="next" to={`/admin/audit${searchOf(filter, page + 1)}`} className="button">
              {t("audit.older")}
            </Link>
          ) : (
            <span />
          )}
        </nav>
      ) : null}
    </section>
  );
}

/** Who, what, and to what, with a link to the target where it has a page. */
function AuditSentence({ line, t }: { line: AuditLineData; t: TFunction }) {
  return (
    <>
      {auditSentence(line, t).map((part, i) =>
        part.kind === "actor" ? (
          <strong key={i}>{part.text}</strong>
        ) : part.kind === "target" ? (
          part.href ? (
            <Link key={i} to={part.href} className="audit-line__target">
              {part.text}
            </Link>
          ) : (
            <span key={i} className="audit-line__target">
              {part.text}
            </span>
          )
        ) : (
          part.text
        ),
      )}
    </>
  );
}
