import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { useTranslation } from "~/i18n/react";
import { SelectField, TextareaField, InputField } from "~/components/field";
import { SubmitButton } from "~/components/submit-button";
import { Timeline } from "~/components/timeline";
import { ModerateForm, Outcome, ReportForm } from "~/components/alliance";
import { can } from "~/domain/accounts/permissions";
import { addComment, moderatePost } from "~/domain/alliance/board.server";
import { myMemberBusinesses } from "~/domain/alliance/members.server";
import {
  addFollowUp,
  castVote,
  editProposal,
  getProposal,
  openVoting,
  publishProposal,
} from "~/domain/alliance/proposals.server";
import { VOTING_HOURS } from "~/domain/alliance/rules";
import {
  commentSchema,
  followUpSchema,
  moderationSchema,
  openVotingSchema,
  proposalEditSchema,
  voteSchema,
} from "~/domain/alliance/schemas";
import { clockNow } from "~/lib/clock.server";
import { orErrorPage } from "~/lib/http.server";
import { attempt, attemptParsed, invalidForm } from "~/lib/refusal.server";
import { recordIdOr404 } from "~/lib/page-id.server";
import { recordActionInput } from "~/lib/record-action.server";
import { formatDateTime } from "~/lib/time";
import { followUpStatuses, proposalCategories, voteChoices } from "~/domain/vocabularies";
import { RowAction } from "~/components/row-action";
import { FoldedForm } from "~/components/page-parts";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "allianceProposal");

export async function loader({ params, context }: LoaderFunctionArgs) {
  const id = recordIdOr404(params.id);
  const { db, actor } = context;
  const view = await orErrorPage(() => getProposal(db, actor, id, clockNow()));
  const p = view.proposal;
  return {
    ...view,
    myBusinesses: await myMemberBusinesses(db, actor),
    may: {
      edit: actor?.userId === p.authorId && (p.status === "draft" || p.status === "discussion"),
      openVoting: p.status === "discussion" && can(actor, { action: "alliance.openVoting", authorId: p.authorId }),
      comment: p.status !== "draft" && can(actor, { action: "alliance.comment" }),
      report: can(actor, { action: "alliance.report" }),
      followUp: p.status === "adopted" && can(actor, { action: "alliance.followUp" }),
      moderate: can(actor, { action: "alliance.moderate" }),
    },
  };
}

export async function action(args: ActionFunctionArgs) {
  const input = await recordActionInput(args);
  if (!input) return invalidForm();
  const { user, id, form, db, now } = input;
  switch (form.intent) {
    case "vote":
      return attemptParsed(form, voteSchema, (v) => castVote(db, user, id, v, now));
    case "openVoting":
      return attemptParsed(form, openVotingSchema, (v) => openVoting(db, user, id, v.hours, now));
    case "publish":
      return attempt(() => publishProposal(db, user, id, now));
    case "edit":
      return attemptParsed(form, proposalEditSchema, (v) => editProposal(db, user, id, v, now));
    case "comment":
      return attemptParsed(form, commentSchema, (v) => addComment(db, user, id, v, now));
    case "followUp":
      return attemptParsed(form, followUpSchema, (v) => addFollowUp(db, user, id, v, now));
    case "moderate":
      return attemptParsed(form, moderationSchema, (v) => moderatePost(db, user, v, now));
    default:
      return invalidForm();
  }
}

export default function ProposalPage() {
  const view = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language as "zh-CN" | "en";
  const p = view.proposal;
  const { may } = view;
  const topLevel = view.comments.filter((c) => c.parentId == null);
  const repliesTo = (id: number) => view.comments.filter((c) => c.parentId === id);
  const nameOf = (businessId: number) => view.myBusinesses.find((b) => b.id === businessId)?.name ?? "";
  return (
    <article className="stack alliance">
      <p>
        <a href="/alliance">← {t("alliance.title")}</a>
      </p>
      <h1>{p.title}</h1>
      <p className="post__meta">
        <span className={`badge badge--${p.status}`} data-testid="proposal-status">
          {t(`alliance.status.${p.status}`)}
        </span>{" "}
        <span className="badge">{t(`alliance.category.${p.category}`)}</span>{" "}
        {p.hiddenAt ? <span className="badge badge--bad">{t("alliance.hiddenBadge")}</span> : null}
      </p>
      <p className="muted">
        {t("alliance.proposal.by", { business: view.businessName, author: view.authorName })} ·{" "}
        {formatDateTime(p.createdAt, locale)}
      </p>
      {p.hiddenAt ? <p className="form-errors">{t("alliance.proposal.hiddenNotice")}</p> : null}
      <Outcome result={actionData} okText={t("admin.done")} />
      <p className="post__body">{p.body}</p>
      {may.report ? <ReportForm kind="proposal" subjectId={p.id} /> : null}

      {may.edit ? (
        <FoldedForm summary={t("alliance.proposal.edit")}>
          <SelectField
            id="edit-category"
            name="category"
            label={t("alliance.form.category")}
            defaultValue={p.category}
            options={proposalCategories.map((c) => ({ value: c, label: t(`alliance.category.${c}`) }))}
          />
          <InputField id="edit-title" label={t("alliance.form.title")} name="title" defaultValue={p.title} required />
          <TextareaField
            id="edit-body"
            label={t("alliance.form.body")}
            name="body"
            defaultValue={p.body}
            rows={6}
            required
          />
          <SubmitButton intent="edit" primary label={t("alliance.proposal.save")} />
        </FoldedForm>
      ) : null}
      {may.edit && p.status === "draft" ? (
        <RowAction intent="publish" className="button button--primary" label={t("alliance.proposal.publishDraft")} />
      ) : null}
      {p.status === "discussion" ? (
        <p className="muted" data-testid="discussion-rule">
          {t("alliance.proposal.discussionRule", { hours: view.minDiscussionHours })}{" "}
          {view.votingMayOpenAt
            ? t("alliance.proposal.votingMayOpenAt", { at: formatDateTime(view.votingMayOpenAt, locale) })
            : null}
        </p>
      ) : null}
      {may.openVoting ? (
        <Form method="post" className="card stack">
          <SelectField
            id="hours"
            name="hours"
            label={t("alliance.proposal.hours")}
            defaultValue="72"
            options={VOTING_HOURS.map((h) => ({
              value: String(h),
              label: t("alliance.proposal.hoursOption", { count: h }),
            }))}
          />
          <SubmitButton intent="openVoting" primary label={t("alliance.proposal.openVoting")} />
        </Form>
      ) : null}

      {p.quorum != null ? (
        <section className="card stack" data-testid="voting">
          <h2>{t("alliance.proposal.vote")}</h2>
          <p className="muted">
            {t("alliance.proposal.rule", { quorum: p.quorum, members: p.memberCount, percent: p.supportPercent })}{" "}
            {t("alliance.proposal.electorateRule")}
          </p>
          <p>
            {view.closed
              ? t("alliance.proposal.closedAt", { at: formatDateTime(p.votingClosesAt!, locale) })
              : t("alliance.proposal.closesAt", { at: formatDateTime(p.votingClosesAt!, locale) })}
          </p>
          {view.tally ? (
            <p data-testid="tally">
              {t("alliance.proposal.tally", view.tally)} ·{" "}
              {t("alliance.proposal.turnout", { turnout: view.outcome!.turnout, quorum: p.quorum })}
            </p>
          ) : (
            <p className="muted">{t("alliance.proposal.resultsHidden")}</p>
          )}
          {view.closed ? (
            <p className={p.status === "adopted" ? "notice-ok" : "form-errors"} data-testid="outcome">
              {p.status === "adopted" ? t("alliance.proposal.outcomeAdopted") : t("alliance.proposal.outcomeRejected")}
              {view.outcome && !view.outcome.quorumReached ? ` · ${t("alliance.proposal.quorumMissed")}` : ""}
            </p>
          ) : null}
          {view.myVotes.map((v) => (
            <p key={v.businessId} className="muted" data-testid="my-vote">
              {t("alliance.proposal.myVote", {
                business: nameOf(v.businessId),
                choice: t(`alliance.proposal.choice.${v.choice}`),
              })}
            </p>
          ))}
          {view.whyNoVote ? (
            <p className="notice" data-testid="why-no-vote">
              {t(`alliance.proposal.whyNoVote.${view.whyNoVote}`)}{" "}
              {view.whyNoVote === "signedOut" ? (
                <Link to={`/login?redirectTo=${encodeURIComponent(`/alliance/proposals/${p.id}`)}`}>
                  {t("alliance.proposal.whyNoVote.login")}
                </Link>
              ) : (
                <Link to="/account/claim">{t("alliance.proposal.whyNoVote.claim")}</Link>
              )}
            </p>
          ) : null}
          {view.votingOpen && view.myBusinesses.length > 0 ? (
            <Form method="post" className="stack">
              {view.myBusinesses.length > 1 ? (
                <SelectField
                  id="vote-business"
                  name="businessId"
                  label={t("alliance.form.actingFor")}
                  options={view.myBusinesses.map((b) => ({ value: String(b.id), label: b.name }))}
                />
              ) : (
                <input type="hidden" name="businessId" value={view.myBusinesses[0].id} />
              )}
              <input type="hidden" name="intent" value="vote" />
              <div className="vote-buttons">
                {voteChoices.map((c) => (
                  <button key={c} type="submit" name="choice" value={c} className={`button vote--${c}`}>
                    {t(`alliance.proposal.choice.${c}`)}
                  </button>
                ))}
              </div>
            </Form>
          ) : null}
        </section>
      ) : null}

      {p.status === "adopted" ? (
        <section className="stack">
          <h2>{t("alliance.proposal.followUps")}</h2>
          {view.followUps.length === 0 ? <p className="muted">{t("alliance.proposal.noFollowUps")}</p> : null}
          <Timeline
            testId="follow-ups"
            locale={locale}
            entries={view.followUps.map((f) => ({
              id: f.id,
              at: f.createdAt,
              what: <span className="badge">{t(`alliance.followUpStatus.${f.status}`)}</span>,
              author: f.authorName,
              body: f.note,
            }))}
          />
          {may.followUp ? (
            <Form method="post" className="card stack">
              <SelectField
                id="follow-up-status"
                name="status"
                label={t("alliance.proposal.followUpStatus")}
                defaultValue="planned"
                options={followUpStatuses.map((s) => ({ value: s, label: t(`alliance.followUpStatus.${s}`) }))}
              />
              <TextareaField id="follow-up-note" name="note" label={t("alliance.proposal.note")} required />
              <SubmitButton intent="followUp" primary label={t("alliance.proposal.addFollowUp")} />
            </Form>
          ) : null}
        </section>
      ) : null}

      <section className="stack">
        <h2>{t("alliance.proposal.comments")}</h2>
        {topLevel.length === 0 ? <p className="muted">{t("alliance.proposal.noComments")}</p> : null}
        <ul className="comment-list">
          {topLevel.map((c) => (
            <li key={c.id} id={`comment-${c.id}`} className="comment">
              <Comment comment={c} canReport={may.report} canModerate={may.moderate} />
              <ul className="comment-list comment-list--replies">
                {repliesTo(c.id).map((r) => (
                  <li key={r.id} id={`comment-${r.id}`} className="comment">
                    <Comment comment={r} canReport={may.report} canModerate={may.moderate} />
                  </li>
                ))}
              </ul>
              {may.comment ? (
                <FoldedForm summary={t("alliance.proposal.reply")} card={false}>
                  <input type="hidden" name="parentId" value={c.id} />
                  <label className="visually-hidden" htmlFor={`reply-${c.id}`}>
                    {t("alliance.proposal.reply")}
                  </label>
                  <textarea id={`reply-${c.id}`} name="body" rows={2} required />
                  <SubmitButton
                    intent="comment"
                    className="button button--small"
                    label={t("alliance.proposal.commentSubmit")}
                  />
                </FoldedForm>
              ) : null}
            </li>
          ))}
        </ul>
        {may.comment ? (
          <Form method="post" className="stack">
            <TextareaField id="comment-body" label={t("alliance.proposal.comment")} name="body" rows={3} required />
            <SubmitButton intent="comment" label={t("alliance.proposal.commentSubmit")} />
          </Form>
        ) : null}
      </section>
      {may.moderate ? <ModerateForm kind="proposal" subjectId={p.id} hidden={p.hiddenAt != null} /> : null}
    </article>
  );
}

function Comment({
  comment,
  canReport,
  canModerate,
}: {
  comment: { id: number; body: string; authorName: string; createdAt: string | Date; hidden: boolean };
  canReport: boolean;
  canModerate: boolean;
}) {
  const { t, i18n } = useTranslation();
  return (
    <>
      <p className="comment__meta muted">
        {comment.authorName} · {formatDateTime(comment.createdAt, i18n.language as "zh-CN" | "en")}{" "}
        {comment.hidden ? <span className="badge badge--bad">{t("alliance.hiddenBadge")}</span> : null}
      </p>
      <p className="comment__body">{comment.body}</p>
      <div className="post__tools">
        {canReport ? <ReportForm kind="comment" subjectId={comment.id} /> : null}
        {canModerate ? <ModerateForm kind="comment" subjectId={comment.id} hidden={comment.hidden} /> : null}
      </div>
    </>
  );
}
