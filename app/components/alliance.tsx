import { Form } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { reportReasons, type ReportableKind } from "~/domain/vocabularies";
import { SubmitButton } from "~/components/submit-button";
import { InputField } from "~/components/field";
import { districtInputValue } from "~/lib/time";
import { VocabularySelect } from "~/components/page-parts";

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
        <VocabularySelect
          id={id}
          name="reason"
          values={reportReasons}
          messages="alliance.reportReason"
          defaultValue="spam"
        />
        <SubmitButton className="button button--small" label={t("alliance.proposal.report")} />
      </Form>
    </details>
  );
}

const electionWindows = ["nominationOpensAt", "nominationClosesAt", "votingOpensAt", "votingClosesAt"] as const;

/** An election's term and its four window times: blank for a new election, else as it stands. */
export function ElectionFields({
  election,
}: {
  election?: { term: string } & Record<(typeof electionWindows)[number], Date | string>;
}) {
  const { t } = useTranslation();
  return (
    <>
      <InputField
        id="term"
        label={t("alliance.election.term")}
        name="term"
        required
        maxLength={40}
        defaultValue={election?.term}
      />
      {electionWindows.map((name) => (
        <InputField
          key={name}
          id={name}
          label={t(`alliance.election.${name}`)}
          name={name}
          type="datetime-local"
          required
          defaultValue={election ? districtInputValue(election[name]) : undefined}
        />
      ))}
    </>
  );
}

/** The reason an officer gives for changing, withdrawing or cancelling something (required, ≤ 200 characters). */
export function ReasonField({ id, label }: { id: string; label: string }) {
  return <InputField id={id} label={label} name="reason" required maxLength={200} />;
}

/** How many reported a post or review, and for what reasons. */
export function ReportsLine({ count, reasons }: { count: string; reasons: readonly string[] }) {
  const { t } = useTranslation();
  return (
    <p className="muted">
      {count} · {reasons.map((r) => t(`alliance.reportReason.${r}`)).join("、")}
    </p>
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
