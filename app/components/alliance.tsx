import { Form } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { reportReasons, type ReportableKind } from "~/domain/vocabularies";
import { SubmitButton } from "~/components/submit-button";

/** "Report" for a post or comment: a reason and a button; posts to the alliance's report route. */
export function ReportForm({ kind, subjectId }: { kind: ReportableKind; subjectId: number }) {
  const { t } = useTranslation();
  const id = `report-${kind}-${subjectId}`;
  return (
    <details className="report">
      <summary>{t("alliance.proposal.report")}</summary>
      <Form method="post" action="/alliance/report" className="report__form">
        <input type="hidden" name="kind" value={kind} />
        <input type="hidden" name="subjectId" value={subjectId} />
        <label htmlFor={id}>{t("alliance.proposal.reportReason")}</label>
        <select id={id} name="reason" defaultValue="spam">
          {reportReasons.map((r) => (
            <option key={r} value={r}>
              {t(`alliance.reportReason.${r}`)}
            </option>
          ))}
        </select>
        <SubmitButton className="button button--small" label={t("alliance.proposal.report")} />
      </Form>
    </details>
  );
}

/** A refusal or a success line under a plain form. */
export function Outcome({
  result,
  okText,
}: {
  result?: { ok: boolean; error: string | null } | null;
  okText?: string;
}) {
  const { t } = useTranslation();
  if (!result) return null;
  if (!result.ok && result.error)
    return (
      <p className="form-errors" role="alert">
        {t(result.error)}
      </p>
    );
  return okText ? (
    <p className="notice-ok" role="status">
      {okText}
    </p>
  ) : null;
}

/** Officers hide or restore a post with a reason (posts to the current route, intent=moderate). */
export function ModerateForm({
  kind,
  subjectId,
  hidden,
}: {
  kind: "proposal" | "comment" | "announcement";
  subjectId: number;
  hidden: boolean;
}) {
  const { t } = useTranslation();
  const id = `moderate-${kind}-${subjectId}`;
  return (
    <Form method="post" className="moderate">
      <input type="hidden" name="kind" value={kind} />
      <input type="hidden" name="subjectId" value={subjectId} />
      <input type="hidden" name="intent" value="moderate" />
      <label htmlFor={id}>{t("alliance.moderation.reason")}</label>
      <input id={id} name="reason" required maxLength={200} />
      <div className="moderate__buttons">
        {/* A post hidden by reports may be confirmed hidden (with a reason) or restored. */}
        <button type="submit" name="decision" value="hide" className="button button--small">
          {t("alliance.moderation.hide")}
        </button>
        {hidden ? (
          <button type="submit" name="decision" value="restore" className="button button--small">
            {t("alliance.moderation.restore")}
          </button>
        ) : null}
      </div>
    </Form>
  );
}
