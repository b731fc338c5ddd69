import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { z } from "zod";
import { FormErrors } from "~/components/field";
import { SubmitButton } from "~/components/submit-button";
import { can } from "~/domain/accounts/permissions";
import {
  listAnnouncements,
  listOfficers,
  postAnnouncement,
  setAnnouncementPinned,
  editAnnouncement,
  withdrawAnnouncement,
} from "~/domain/alliance/board.server";
import { listProposals } from "~/domain/alliance/proposals.server";
import { announcementEditSchema, announcementSchema, announcementWithdrawSchema } from "~/domain/alliance/schemas";
import { useAnnouncementText } from "~/components/localized";
import { isAllianceMember } from "~/domain/accounts/actor";
import { clockNow } from "~/lib/clock.server";
import { requireUser } from "~/lib/http.server";
import { attempt, invalidForm } from "~/lib/refusal.server";
import { formatDateTime } from "~/lib/time";
import { ReportForm } from "~/components/alliance";
import { RowAction } from "~/components/row-action";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "alliance");

export async function loader({ context }: LoaderFunctionArgs) {
  const { db, actor } = context;
  const now = clockNow();
  const [proposals, announcements, officers] = await Promise.all([
    listProposals(db, actor, now),
    listAnnouncements(db, actor),
    listOfficers(db),
  ]);
  return {
    proposals,
    announcements,
    officers,
    may: {
      propose: isAllianceMember(actor),
      announce: can(actor, { action: "alliance.announce" }),
      moderate: can(actor, { action: "alliance.moderate" }),
      report: can(actor, { action: "alliance.report" }),
      appoint: can(actor, { action: "alliance.appointModerator" }),
    },
  };
}

const pinSchema = z.object({
  id: z.coerce.number().int().positive().max(2147483647, { error: "security.idInvalid" }),
  pinned: z.enum(["true", "false"]),
});

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const form = Object.fromEntries(await request.formData());
  if (form.intent === "pin") {
    const parsed = pinSchema.safeParse(form);
    if (!parsed.success) return invalidForm();
    return attempt(() => setAnnouncementPinned(context.db, user, parsed.data.id, parsed.data.pinned === "true"));
  }
  if (form.intent === "editAnnouncement") {
    const parsed = announcementEditSchema.safeParse(form);
    if (!parsed.success) return invalidForm(parsed.error.issues[0]?.message);
    const { announcementId, ...input } = parsed.data;
    return attempt(() => editAnnouncement(context.db, user, announcementId, input, clockNow()));
  }
  if (form.intent === "withdrawAnnouncement") {
    const parsed = announcementWithdrawSchema.safeParse(form);
    if (!parsed.success) return invalidForm(parsed.error.issues[0]?.message);
    return attempt(() =>
      withdrawAnnouncement(context.db, user, parsed.data.announcementId, parsed.data.reason, clockNow()),
    );
  }
  const parsed = announcementSchema.safeParse(form);
  if (!parsed.success) return invalidForm(parsed.error.issues[0]?.message);
  const result = await attempt(() => postAnnouncement(context.db, user, parsed.data, clockNow()));
  return result;
}

export default function Alliance() {
  const { proposals, announcements, officers, may } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language as "zh-CN" | "en";
  const textOf = useAnnouncementText();
  return (
    <section className="stack alliance">
      <h1>{t("alliance.title")}</h1>
      <p>{t("alliance.intro")}</p>
      <p>
        <Link to="/feedback#feedback">{t("desk.giveFeedbackBoard")}</Link>
      </p>
      <nav className="alliance-tabs" aria-label={t("alliance.title")}>
        {may.propose ? (
          <Link className="button button--primary" to="/alliance/proposals/new">
            {t("alliance.newProposal")}
          </Link>
        ) : null}
        <Link className="button" to="/alliance/activities">
          {t("alliance.activities")}
        </Link>
        <Link className="button" to="/alliance/elections">
          {t("alliance.elections")}
        </Link>
        {may.moderate || may.appoint ? (
          <Link className="button" to="/alliance/review">
            {t("alliance.review")}
          </Link>
        ) : null}
      </nav>
      {!may.propose ? <p className="muted">{t("alliance.readOnly")}</p> : null}

      <h2>{t("alliance.officers")}</h2>
      <ul className="officer-list" data-testid="officers">
        {officers.length === 0 ? <li>{t("alliance.noOfficers")}</li> : null}
        {officers.map((o) => (
          <li key={`${o.userId}-${o.role}`}>
            <span className="badge">{t(`roles.${o.role}`)}</span> {o.displayName}
          </li>
        ))}
      </ul>

      <h2>{t("alliance.announcements")}</h2>
      {announcements.length === 0 ? <p className="muted">{t("alliance.noAnnouncements")}</p> : null}
      <ul className="post-list">
        {announcements.map((a) => (
          <li
            key={a.id}
            id={`announcement-${a.id}`}
            className={`post${a.pinned ? " post--pinned" : ""}`}
            data-testid="announcement"
          >
            <h3>
              {a.pinned ? <span className="badge badge--gold">{t("alliance.pinned")}</span> : null} {textOf(a).title}
              {a.hidden ? <span className="badge badge--bad">{t("alliance.hiddenBadge")}</span> : null}
            </h3>
            {a.withdrawnAt ? (
              <p className="form-errors" data-testid="announcement-withdrawn">
                {t("alliance.announcement.withdrawn", { reason: a.withdrawnReason })}
              </p>
            ) : null}
            {a.editReason ? (
              <p className="muted" data-testid="announcement-edited">
                {t("alliance.announcement.edited", { reason: a.editReason })}
              </p>
            ) : null}
            {a.withdrawnAt ? null : <p className="post__body">{textOf(a).body}</p>}
            <p className="muted">
              {a.authorName ?? t("alliance.systemAuthor")} · {formatDateTime(a.createdAt, locale)}
            </p>
            <div className="post__tools">
              {may.announce ? (
                <RowAction
                  intent="pin"
                  values={{ id: a.id, pinned: a.pinned ? "false" : "true" }}
                  label={a.pinned ? t("alliance.unpin") : t("alliance.pin")}
                />
              ) : null}
              {may.report ? <ReportForm kind="announcement" subjectId={a.id} /> : null}
            </div>
            {may.announce && !a.withdrawnAt ? (
              <div className="stack">
                <details className="card">
                  <summary>{t("alliance.announcement.edit")}</summary>
                  <Form method="post" className="stack">
                    <input type="hidden" name="announcementId" value={a.id} />
                    <div className="field">
                      <label htmlFor={`announcement-${a.id}-title`}>{t("alliance.announcementTitle")}</label>
                      <input
                        id={`announcement-${a.id}-title`}
                        name="title"
                        required
                        maxLength={60}
                        defaultValue={textOf(a).title}
                      />
                    </div>
                    <div className="field">
                      <label htmlFor={`announcement-${a.id}-body`}>{t("alliance.announcementBody")}</label>
                      <textarea
                        id={`announcement-${a.id}-body`}
                        name="body"
                        required
                        rows={4}
                        defaultValue={textOf(a).body}
                      />
                    </div>
                    <div className="field">
                      <label htmlFor={`announcement-${a.id}-edit-reason`}>{t("alliance.announcement.reason")}</label>
                      <input id={`announcement-${a.id}-edit-reason`} name="reason" required maxLength={200} />
                    </div>
                    <SubmitButton intent="editAnnouncement" label={t("alliance.announcement.saveEdit")} />
                  </Form>
                </details>
                <details className="card">
                  <summary>{t("alliance.announcement.withdraw")}</summary>
                  <Form method="post" className="stack">
                    <input type="hidden" name="announcementId" value={a.id} />
                    <div className="field">
                      <label htmlFor={`announcement-${a.id}-withdraw-reason`}>
                        {t("alliance.announcement.reason")}
                      </label>
                      <input id={`announcement-${a.id}-withdraw-reason`} name="reason" required maxLength={200} />
                    </div>
                    <SubmitButton
                      intent="withdrawAnnouncement"
                      className="button button--danger"
                      label={t("alliance.announcement.confirmWithdraw")}
                    />
                  </Form>
                </details>
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      {may.announce ? (
        <details className="card">
          <summary>{t("alliance.postAnnouncement")}</summary>
          <Form method="post" className="stack">
            <FormErrors errors={actionData && !actionData.ok && actionData.error ? [actionData.error] : undefined} />
            <div className="field">
              <label htmlFor="announcement-title">{t("alliance.announcementTitle")}</label>
              <input id="announcement-title" name="title" required maxLength={60} />
            </div>
            <div className="field">
              <label htmlFor="announcement-body">{t("alliance.announcementBody")}</label>
              <textarea id="announcement-body" name="body" required rows={4} />
            </div>
            <label className="check">
              <input type="checkbox" name="pinned" /> {t("alliance.pinIt")}
            </label>
            <SubmitButton intent="announce" className="button button--primary" label={t("alliance.postAnnouncement")} />
          </Form>
        </details>
      ) : null}

      <h2>{t("alliance.proposals")}</h2>
      {proposals.length === 0 ? <p className="muted">{t("alliance.noProposals")}</p> : null}
      <ul className="post-list" data-testid="proposal-list">
        {proposals.map((p) => (
          <li key={p.id} className="post">
            <Link to={`/alliance/proposals/${p.id}`} className="post__title">
              {p.title}
            </Link>
            <p className="post__meta">
              <span className={`badge badge--${p.status}`}>{t(`alliance.status.${p.status}`)}</span>{" "}
              <span className="badge">{t(`alliance.category.${p.category}`)}</span>{" "}
              {p.followUpStatus ? (
                <span className="badge">{t(`alliance.followUpStatus.${p.followUpStatus}`)}</span>
              ) : null}{" "}
              {p.hidden ? <span className="badge badge--bad">{t("alliance.hiddenBadge")}</span> : null}
            </p>
            <p className="muted">
              {p.businessName}
              {p.status === "voting" && p.votingClosesAt
                ? ` · ${t("alliance.proposal.closesAt", { at: formatDateTime(p.votingClosesAt, locale) })}`
                : ""}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
