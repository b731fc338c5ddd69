import { Form } from "@remix-run/react";
import { Link } from "~/components/link";
import { useTranslation } from "~/i18n/react";
import type { listDisputes } from "~/domain/disputes/disputes.server";
import { formatDateTime } from "~/lib/time";
import { feedbackKinds, type FeedbackSource } from "~/domain/vocabularies";
import { SubmitButton } from "~/components/submit-button";
import { VocabularySelect } from "~/components/page-parts";

/**
 * The feedback form (a plain form: it works without JavaScript). It posts to /feedback, which
 * comes back to `returnTo`. The form says plainly who still sees a hidden name.
 */
export function FeedbackForm({
  source,
  businessId,
  returnTo,
  signedIn,
  defaultKind = "complaint",
  values,
}: {
  source: FeedbackSource;
  businessId?: number;
  returnTo: string;
  signedIn: boolean;
  defaultKind?: string;
  values?: { kind?: string; body?: string; hideName?: boolean };
}) {
  const { t } = useTranslation();
  if (!signedIn) {
    return (
      <p>
        <Link to={`/login?redirectTo=${encodeURIComponent(returnTo)}`}>{t("desk.loginToGive")}</Link>
      </p>
    );
  }
  return (
    <Form method="post" action="/feedback?index" className="stack" data-testid="feedback-form">
      <input type="hidden" name="source" value={source} />
      {businessId ? <input type="hidden" name="businessId" value={businessId} /> : null}
      <input type="hidden" name="returnTo" value={returnTo} />
      <p className="field__hint" data-testid="public-notice">
        {t("desk.publicNotice")}
      </p>
      <div className="field">
        <label htmlFor={`feedback-kind-${source}`}>{t("desk.form.kind")}</label>
        <VocabularySelect
          id={`feedback-kind-${source}`}
          name="kind"
          values={feedbackKinds}
          messages="desk.kinds"
          defaultValue={values?.kind ?? defaultKind}
        />
      </div>
      <div className="field">
        <label htmlFor={`feedback-body-${source}`}>{t("desk.form.body")}</label>
        <textarea id={`feedback-body-${source}`} name="body" rows={4} defaultValue={values?.body} />
      </div>
      <label className="check">
        <input
          type="checkbox"
          name="hideName"
          defaultChecked={values?.hideName}
          aria-describedby={`feedback-hide-${source}`}
        />{" "}
        {t("desk.form.hideName")}
      </label>
      <p className="field__hint" id={`feedback-hide-${source}`}>
        {t("desk.form.hideNameHint")}
      </p>
      <SubmitButton primary label={t("desk.form.submit")} />
    </Form>
  );
}

/** A horizontal SVG bar chart drawn on the server, followed by the same numbers as a table. */
export function BarChart({ title, rows }: { title: string; rows: { label: string; value: number }[] }) {
  const { t } = useTranslation();
  const max = Math.max(1, ...rows.map((r) => r.value));
  const rowHeight = 28;
  const labelWidth = 120;
  const width = 340;
  const barSpace = width - labelWidth - 40;
  const height = rows.length * rowHeight + 8;
  return (
    <figure className="chart card">
      <figcaption>
        <h2>{title}</h2>
      </figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={title}>
        {rows.map((r, i) => {
          const y = 4 + i * rowHeight;
          const w = (r.value / max) * barSpace;
          return (
            <g key={r.label}>
              <text x={0} y={y + 18} fontSize="12" fill="currentColor">
                {r.label.length > 12 ? `${r.label.slice(0, 11)}…` : r.label}
              </text>
              <rect
                x={labelWidth}
                y={y + 4}
                width={Math.max(w, r.value > 0 ? 2 : 0)}
                height={rowHeight - 10}
                className="chart__bar"
              />
              <text x={labelWidth + w + 4} y={y + 18} fontSize="12" fill="currentColor">
                {r.value}
              </text>
            </g>
          );
        })}
      </svg>
      <table className="chart__table">
        <thead>
          <tr>
            <th scope="col">{t("desk.statsPage.label")}</th>
            <th scope="col">{t("desk.statsPage.count")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.label}>
              <th scope="row">{r.label}</th>
              <td>{r.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/** Disputes in a list: number, kind, business, level, status, filing time. */
export function DisputeList({ disputes }: { disputes: Awaited<ReturnType<typeof listDisputes>> }) {
  const { t, i18n } = useTranslation();
  if (disputes.length === 0) return <p className="muted">{t("desk.noDisputes")}</p>;
  return (
    <ul className="desk__list" data-testid="dispute-list">
      {disputes.map((d) => (
        <li key={d.id}>
          <Link to={`/disputes/${d.id}`}>{t("desk.dispute.title", { id: d.id })}</Link>{" "}
          {t(`desk.categories.${d.category}`)}
          {d.businessName ? ` · ${d.businessName}` : ""}
          <br />
          <span className="badge">{t(`desk.levels.${d.level}`)}</span>{" "}
          <span className="badge">
            {d.status === "closed" && d.outcome ? t(`desk.outcomes.${d.outcome}`) : t(`desk.disputeStatus.${d.status}`)}
          </span>{" "}
          <span className="muted small">{formatDateTime(d.createdAt, i18n.language as "zh-CN" | "en")}</span>
        </li>
      ))}
    </ul>
  );
}
