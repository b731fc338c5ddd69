import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
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
import { ReasonField, ReportForm } from "~/components/alliance";
import { RowAction } from "~/components/row-action";
import { FoldedForm, RecordList } from "~/components/page-parts";

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
  /** The board's other pages, as far as the reader may use them. */
  const tabs = [
    { to: "/alliance/proposals/new", label: t("alliance.newProposal"), primary: true, shown: may.propose },
    { to: "/alliance/activities", label: t("alliance.activities"), primary: false, shown: true },
    { to: "/alliance/elections", label: t("alliance.elections"), primary: false, shown: true },
    { to: "/alliance/review", label: t("alliance.review"), primary: false, shown: may.moderate || may.appoint },
  ].filter((tab) => tab.shown);
  return (
    <section className="stack alliance">
      <h1>{t("alliance.title")}</h1>
      <p>{t("alliance.intro")}</p>
      <p>
        <Link to="/feedback#feedback">{t("desk.giveFeedbackBoard")}</Link>
      </p>
      <nav className="alliance-tabs" aria-label={t("alliance.title")}>
        {tabs.map((tab) => (
          <Link key={tab.to} className={tab.primary ? "button button--primary" : "button"} to={tab.to}>
            {tab.label}
          </Link>
        ))}
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
      <RecordList items={announcements} empty={t("alliance.noAnnouncements")} className="post-list">
        {(a) => (
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
                <FoldedForm summary={t("alliance.announcement.edit")}>
                  <input type="hidden" name="announcementId" value={a.id} />
                  <AnnouncementFields idPrefix={`announcement-${a.id}`} defaults={textOf(a)} />
                  <ReasonField id={`announcement-${a.id}-edit-reason`} label={t("alliance.announcement.reason")} />
                  <SubmitButton intent="editAnnouncement" label={t("alliance.announcement.saveEdit")} />
                </FoldedForm>
                <FoldedForm summary={t("alliance.announcement.withdraw")}>
                  <input type="hidden" name="announcementId" value={a.id} />
                  <ReasonField id={`announcement-${a.id}-withdraw-reason`} label={t("alliance.announcement.reason")} />
                  <SubmitButton
                    intent="withdrawAnnouncement"
                    className="button button--danger"
                    label={t("alliance.announcement.confirmWithdraw")}
                  />
                </FoldedForm>
              </div>
            ) : null}
          </li>
        )}
      </RecordList>
      {may.announce ? (
        <FoldedForm summary={t("alliance.postAnnouncement")}>
          <FormErrors errors={actionData && !actionData.ok && actionData.error ? [actionData.error] : undefined} />
          <AnnouncementFields idPrefix="announcement" />
          <label className="check">
            <input type="checkbox" name="pinned" /> {t("alliance.pinIt")}
          </label>
          <SubmitButton intent="announce" primary label={t("alliance.postAnnouncement")} />
        </FoldedForm>
      ) : null}

      <h2>{t("alliance.proposals")}</h2>
      <RecordList items={proposals} empty={t("alliance.noProposals")} className="post-list" testId="proposal-list">
        {(p) => (
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
        )}
      </RecordList>
    </section>
  );
}

/** An announcement's title and text: blank for a new one, else as it stands. */
function AnnouncementFields({ idPrefix, defaults }: { idPrefix: string; defaults?: { title: string; body: string } }) {
  const { t } = useTranslation();
  return (
    <>
      <div className="field">
        <label htmlFor={`${idPrefix}-title`}>{t("alliance.announcementTitle")}</label>
        <input id={`${idPrefix}-title`} name="title" required maxLength={60} defaultValue={defaults?.title} />
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-body`}>{t("alliance.announcementBody")}</label>
        <textarea id={`${idPrefix}-body`} name="body" required rows={4} defaultValue={defaults?.body} />
      </div>
    </>
  );
}
