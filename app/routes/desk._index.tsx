import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { useTranslation } from "~/i18n/react";
import { z } from "zod";
import { Outcome } from "~/components/alliance";
import { DisputeList } from "~/components/desk";
import { assertCan } from "~/domain/accounts/permissions";
import { listDisputes } from "~/domain/disputes/disputes.server";
import {
  answerFeedback,
  closeFeedback,
  deskFeedback,
  feedbackToDispute,
  feedbackToProposal,
  sendToMerchant,
  triageFeedback,
} from "~/domain/feedback/feedback.server";
import { replySchema, toDisputeSchema } from "~/domain/feedback/schemas";
import { clockNow } from "~/lib/clock.server";
import { orErrorPage, requireUser } from "~/lib/http.server";
import { attempt, attemptParsed, invalidForm } from "~/lib/refusal.server";
import { idParam } from "~/lib/ids";
import { formatDateTime } from "~/lib/time";
import { disputeCategories, feedbackFindings } from "~/domain/vocabularies";
import { RowAction } from "~/components/row-action";
import { SubmitButton } from "~/components/submit-button";
import { HiddenLabel, VocabularySelect } from "~/components/page-parts";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "desk");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  return orErrorPage(async () => {
    assertCan(user, { action: "desk.triage" });
    return {
      feedback: await deskFeedback(context.db, user),
      disputes: await listDisputes(context.db, user, 100, { asDesk: true }),
    };
  });
}

const findingField = z.enum(feedbackFindings);

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const form = Object.fromEntries(await request.formData());
  const id = idParam.safeParse(form.feedbackId);
  if (!id.success) return invalidForm();
  const { db } = context;
  const now = clockNow();
  switch (form.intent) {
    case "triage":
      return attempt(() => triageFeedback(db, user, id.data, now));
    case "send":
      return attempt(() => sendToMerchant(db, user, id.data, now));
    case "dispute":
      return attemptParsed(form, toDisputeSchema, (v) => feedbackToDispute(db, user, id.data, v.category, now));
    case "proposal":
      return attempt(() => feedbackToProposal(db, user, id.data, now));
    case "answer":
      return attemptParsed(form, replySchema, (v) => answerFeedback(db, user, id.data, v.reply, now));
    case "close": {
      const finding = findingField.safeParse(form.finding);
      return attempt(() => closeFeedback(db, user, id.data, now, finding.success ? finding.data : undefined));
    }
    default:
      return invalidForm();
  }
}

export default function Desk() {
  const { feedback, disputes } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language as "zh-CN" | "en";
  return (
    <section className="stack desk">
      <h1>{t("desk.deskTitle")}</h1>
      <p>
        <Link to="/desk/stats">{t("desk.stats")}</Link> · <Link to="/feedback">{t("desk.publicTitle")}</Link>
      </p>
      <Outcome result={result} okText={t("admin.done")} />
      <h2>{t("desk.feedbackQueue")}</h2>
      {feedback.length === 0 ? <p className="muted">{t("desk.noFeedback")}</p> : null}
      <ul className="desk__list" data-testid="desk-feedback">
        {feedback.map((f) => {
          const open = f.status !== "answered" && f.status !== "closed";
          return (
            <li key={f.id} className="card stack" data-feedback-id={f.id}>
              <p className="muted small">
                <Link to={`/desk/feedback/${f.id}`}>#{f.id}</Link> · {t(`desk.kinds.${f.kind}`)} ·{" "}
                {t(`desk.sources.${f.source}`)} · {formatDateTime(f.createdAt, locale)}
              </p>
              <p>
                <span className="badge" data-testid="feedback-status">
                  {t(`desk.feedbackStatus.${f.status}`)}
                </span>{" "}
                {f.businessId ? <Link to={`/shops/${f.businessId}`}>{f.businessName}</Link> : null}
                {f.streamRef ? (
                  <>
                    {" "}
                    · <Link to={`/live/${f.streamRef}`}>{t("desk.streamLink")}</Link>
                  </>
                ) : null}
              </p>
              <p className="post__body">{f.body}</p>
              <p className="muted small">
                {f.authorName}
                {f.hideName ? ` (${t("desk.anonymous")})` : ""}
              </p>
              {f.disputeId ? <Link to={`/disputes/${f.disputeId}`}>{t("desk.actions.openDispute")}</Link> : null}
              {f.proposalId ? (
                <Link to={`/alliance/proposals/${f.proposalId}`}>{t("desk.actions.openProposal")}</Link>
              ) : null}
              {open ? (
                <div className="desk__actions">
                  {f.status === "new" ? (
                    <FeedbackAction id={f.id} intent="triage" label={t("desk.actions.triage")} />
                  ) : null}
                  {f.businessId && f.status !== "disputed" ? (
                    <FeedbackAction id={f.id} intent="send" label={t("desk.actions.sendToMerchant")} />
                  ) : null}
                  {f.businessId && !f.disputeId ? (
                    <Form method="post" className="desk__inline">
                      <input type="hidden" name="feedbackId" value={f.id} />
                      <HiddenLabel htmlFor={`category-${f.id}`}>{t("desk.form.category")}</HiddenLabel>
                      <VocabularySelect
                        id={`category-${f.id}`}
                        name="category"
                        values={disputeCategories}
                        messages="desk.categories"
                        defaultValue="goods_prices"
                      />
                      <SubmitButton intent="dispute" label={t("desk.actions.toDispute")} />
                    </Form>
                  ) : null}
                  {!f.proposalId ? (
                    <FeedbackAction id={f.id} intent="proposal" label={t("desk.actions.toProposal")} />
                  ) : null}
                  <Form method="post" className="stack">
                    <input type="hidden" name="feedbackId" value={f.id} />
                    <label htmlFor={`reply-${f.id}`}>{t("desk.reply")}</label>
                    <textarea id={`reply-${f.id}`} name="reply" rows={2} />
                    <SubmitButton intent="answer" primary label={t("desk.answer")} />
                  </Form>
                </div>
              ) : null}
              {f.status !== "closed" ? (
                <Form method="post" className="desk__inline">
                  <input type="hidden" name="feedbackId" value={f.id} />
                  {f.kind === "complaint" ? (
                    <>
                      <label htmlFor={`finding-${f.id}`}>{t("desk.finding")}</label>
                      <VocabularySelect
                        id={`finding-${f.id}`}
                        name="finding"
                        values={feedbackFindings}
                        messages="desk.findings"
                        defaultValue="upheld"
                      />
                    </>
                  ) : null}
                  <SubmitButton intent="close" label={t("desk.actions.close")} />
                </Form>
              ) : null}
            </li>
          );
        })}
      </ul>
      <h2>{t("desk.disputesQueue")}</h2>
      <DisputeList disputes={disputes} />
    </section>
  );
}

/** A desk officer's one-button step on a piece of feedback (triage, send to the merchant, make a proposal of it). */
function FeedbackAction({ id, intent, label }: { id: number; intent: string; label: string }) {
  return <RowAction intent={intent} values={{ feedbackId: id }} className="button" label={label} />;
}
