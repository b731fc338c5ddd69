import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { useTranslation } from "~/i18n/react";
import { SelectField, TextareaField, InputField } from "~/components/field";
import { SubmitButton } from "~/components/submit-button";
import { Timeline } from "~/components/timeline";
import { Outcome } from "~/components/alliance";
import {
  addDisputeNote,
  closeDispute,
  confirmAgreement,
  escalateDispute,
  getDispute,
  rateDispute,
  recordAgreement,
  requestWithdrawal,
} from "~/domain/disputes/disputes.server";
import {
  agreementSchema,
  closeSchema,
  disputeNoteSchema,
  satisfactionSchema,
  withdrawSchema,
} from "~/domain/disputes/schemas";
import { orErrorPage } from "~/lib/http.server";
import { attempt, attemptParsed, invalidForm } from "~/lib/refusal.server";
import { recordIdOr404 } from "~/lib/page-id.server";
import { recordActionInput } from "~/lib/record-action.server";
import { formatDateTime } from "~/lib/time";
import { RowAction } from "~/components/row-action";
import { PageHeading, useLocale } from "~/components/page-parts";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "dispute");

export async function loader({ params, context }: LoaderFunctionArgs) {
  const id = recordIdOr404(params.id);
  return orErrorPage(() => getDispute(context.db, context.actor, id));
}

export async function action(args: ActionFunctionArgs) {
  const input = await recordActionInput(args);
  if (!input) return invalidForm();
  const { user, id, form, db, now } = input;
  switch (form.intent) {
    case "note":
      return attemptParsed(form, disputeNoteSchema, (v) => addDisputeNote(db, user, id, v, now));
    case "escalate":
      return attempt(() => escalateDispute(db, user, id, now));
    case "agreement":
      return attemptParsed(form, agreementSchema, (v) => recordAgreement(db, user, id, v.text, now));
    case "confirm":
      return attempt(() => confirmAgreement(db, user, id, now));
    case "close":
      return attemptParsed(form, closeSchema, (v) => closeDispute(db, user, id, v, now));
    case "withdraw":
      return attemptParsed(form, withdrawSchema, (v) => requestWithdrawal(db, user, id, v.reason, now));
    case "rate":
      return attemptParsed(form, satisfactionSchema, (v) => rateDispute(db, user, id, v, now));
    default:
      return invalidForm();
  }
}

export default function DisputePage() {
  const view = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const locale = useLocale();
  const d = view.dispute;
  const english = locale === "en";
  const eventText = (e: (typeof view.events)[number]) => {
    const p = e.params;
    switch (e.kind) {
      case "assigned":
        return [
          e.assigneeName
            ? t("desk.assignedTo", { level: t(`desk.levels.${p.level}`), name: e.assigneeName })
            : `${t("desk.events.assigned", { level: t(`desk.levels.${p.level}`) })} ${t("desk.noAssignee")}`,
          p.skipped ? t("desk.skipped", { names: p.skipped }) : "",
        ]
          .filter(Boolean)
          .join(" · ");
      case "escalated":
        return t(p.automatic ? "desk.events.escalatedAuto" : "desk.events.escalated", { to: t(`desk.levels.${p.to}`) });
      case "closed":
        return t("desk.events.closed", { outcome: t(`desk.outcomes.${p.outcome}`) });
      case "rated":
        return t("desk.events.rated", { score: p.score });
      default:
        return t(`desk.events.${e.kind}`);
    }
  };
  return (
    <article className="stack desk">
      <PageHeading
        title={t("desk.dispute.title", { id: d.id })}
        back={{ to: "/disputes", label: t("desk.myDisputes") }}
      />
      <p>
        <span className="badge" data-testid="dispute-level">
          {t(`desk.levels.${d.level}`)}
        </span>{" "}
        <span className="badge" data-testid="dispute-status">
          {d.status === "closed" && d.outcome ? t(`desk.outcomes.${d.outcome}`) : t(`desk.disputeStatus.${d.status}`)}
        </span>{" "}
        <span className="badge">{t(`desk.categories.${d.category}`)}</span>
      </p>
      <Outcome result={actionData} okText={t("admin.done")} />
      <dl className="facts">
        <dt>{t("desk.dispute.filer")}</dt>
        <dd>
          {view.filer?.name} {view.filer?.phone}
        </dd>
        <dt>{t("desk.dispute.otherParty")}</dt>
        <dd>
          {view.respondentBusiness ? (
            <Link to={`/shops/${view.respondentBusiness.id}`}>
              {view.respondentBusiness.name}（{view.respondentBusiness.code}）
            </Link>
          ) : (
            `${view.respondentPerson?.name ?? ""} ${view.respondentPerson?.phone ?? ""}`
          )}
        </dd>
        <dt>{t("desk.dispute.microGrid")}</dt>
        <dd>{english ? view.microGrid.nameEn : view.microGrid.nameZh}</dd>
        <dt>{t("desk.dispute.mediator")}</dt>
        <dd data-testid="dispute-mediator">
          {view.assignee ? `${view.assignee.name} ${view.assignee.phone}` : t("desk.noAssignee")}
        </dd>
        {d.dueAt && d.status !== "closed" ? (
          <>
            <dt>{t("desk.dispute.due")}</dt>
            <dd>{formatDateTime(d.dueAt, locale)}</dd>
          </>
        ) : null}
      </dl>
      <p className="post__body">{d.description}</p>
      {view.photoIds.length > 0 ? (
        <section>
          <h2>{t("desk.dispute.photos")}</h2>
          <div className="desk__photos">
            {view.photoIds.map((pid) => (
              <a key={pid} href={`/disputes/${d.id}/photos/${pid}`}>
                <img
                  src={`/disputes/${d.id}/photos/${pid}`}
                  alt={`${t("desk.dispute.photos")} ${pid}`}
                  width={160}
                  height={120}
                />
              </a>
            ))}
          </div>
        </section>
      ) : null}

      {d.agreementText ? (
        <section className="card" data-testid="agreement">
          <h2>{t("desk.dispute.agreement")}</h2>
          <p className="post__body">{d.agreementText}</p>
          <p className="muted small">
            {t("desk.dispute.confirmedBy", {
              filer: t(d.filerConfirmedAt ? "desk.dispute.yes" : "desk.dispute.no"),
              respondent: t(d.respondentConfirmedAt ? "desk.dispute.yes" : "desk.dispute.no"),
            })}
          </p>
          {view.may.confirm ? (
            <RowAction intent="confirm" className="button button--primary" label={t("desk.dispute.confirm")} />
          ) : null}
        </section>
      ) : null}

      {view.may.rate ? (
        <Form method="post" className="card stack" aria-label={t("desk.dispute.rate")}>
          <h2>{t("desk.dispute.rate")}</h2>
          <fieldset className="field desk__score">
            <legend>{t("desk.dispute.score")}</legend>
            {[1, 2, 3, 4, 5].map((n) => (
              <label key={n} className="check">
                <input type="radio" name="score" value={n} required /> {n}
              </label>
            ))}
          </fieldset>
          <TextareaField id="rate-comment" label={t("desk.dispute.comment")} name="comment" rows={3} />
          <SubmitButton intent="rate" primary label={t("desk.dispute.submitRating")} />
        </Form>
      ) : d.satisfaction ? (
        <p data-testid="dispute-rating">{t("desk.dispute.rated", { score: d.satisfaction })}</p>
      ) : null}

      {view.may.requestWithdrawal ? (
        <Form method="post" className="card stack" aria-label={t("desk.withdraw.title")}>
          <h2>{t("desk.withdraw.title")}</h2>
          <p className="field__hint">{t("desk.withdraw.hint")}</p>
          <InputField id="withdraw-reason" label={t("desk.withdraw.reason")} name="reason" />
          <SubmitButton intent="withdraw" label={t("desk.withdraw.submit")} />
        </Form>
      ) : null}

      <section>
        <h2>{t("desk.dispute.timeline")}</h2>
        <Timeline
          testId="timeline"
          locale={locale}
          entries={view.events.map((e) => ({
            id: e.id,
            at: e.createdAt,
            what: <strong>{eventText(e)}</strong>,
            author: e.author,
            body: e.body,
          }))}
        />
      </section>

      {view.may.mediate ? (
        <section className="card stack">
          <Form method="post" className="stack">
            <h2>{t("desk.dispute.addNote")}</h2>
            <SelectField
              id="note-kind"
              name="kind"
              label={t("desk.dispute.noteKind")}
              defaultValue="note"
              options={(["note", "meeting", "proposal"] as const).map((k) => ({
                value: k,
                label: t(`desk.events.${k}`),
              }))}
            />
            <TextareaField id="note-body" name="body" label={t("desk.form.body")} required />
            <SubmitButton intent="note" label={t("desk.dispute.addNote")} />
          </Form>
          <Form method="post" className="stack">
            <TextareaField
              id="agreement-text"
              name="text"
              label={t("desk.dispute.recordAgreement")}
              rows={4}
              required
              defaultValue={d.agreementText ?? ""}
            />
            <SubmitButton intent="agreement" primary label={t("desk.dispute.recordAgreement")} />
          </Form>
          {view.may.escalate ? (
            <RowAction intent="escalate" className="button" label={t("desk.dispute.escalate")} />
          ) : null}
          <Form method="post" className="stack">
            <p className="field__hint" id="close-hint">
              {t("desk.closeHint")}
            </p>
            <div className="field">
              <label htmlFor="close-outcome">{t("desk.dispute.outcome")}</label>
              <select id="close-outcome" name="outcome" defaultValue="unresolvable" aria-describedby="close-hint">
                {view.may.closeWithdrawn ? <option value="withdrawn">{t("desk.outcomes.withdrawn")}</option> : null}
                <option value="unresolvable">{t("desk.outcomes.unresolvable")}</option>
              </select>
            </div>
            <TextareaField id="close-note" name="note" label={t("desk.dispute.closeNote")} rows={2} />
            <SubmitButton intent="close" label={t("desk.dispute.close")} />
          </Form>
        </section>
      ) : null}
    </article>
  );
}
