import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { useTranslation } from "~/i18n/react";
import { z } from "zod";
import { complaintPhotoIds } from "~/domain/feedback/complaints.server";
import { feedbackItem } from "~/domain/feedback/feedback.server";
import { orErrorPage, requireUser } from "~/lib/http.server";
import { formatDateTime } from "~/lib/time";
import { PageHeading, useLocale } from "~/components/page-parts";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "deskFeedback");

const idParam = z.coerce.number().int().positive();

/** One feedback item for the desk, whatever its status: what the plaque reviewer opens from a record. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const id = idParam.safeParse(params.id);
  if (!id.success) throw new Response(null, { status: 404 });
  return orErrorPage(async () => ({
    ...(await feedbackItem(context.db, user, id.data)),
    photoIds: await complaintPhotoIds(context.db, user, id.data),
  }));
}

export default function DeskFeedbackItem() {
  const f = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <article className="stack desk">
      <PageHeading title={`${t(`desk.kinds.${f.kind}`)} #${f.id}`} back={{ to: "/desk", label: t("desk.deskTitle") }} />
      {f.caseNumber ? (
        <p>
          <Link to={`/cases/${f.caseNumber}`} data-testid="feedback-case">
            {f.caseNumber}
          </Link>
        </p>
      ) : null}
      <p>
        <span className="badge" data-testid="feedback-status">
          {t(`desk.feedbackStatus.${f.status}`)}
        </span>{" "}
        {f.finding ? <span className="badge">{t(`desk.findings.${f.finding}`)}</span> : null}{" "}
        {f.businessId ? <Link to={`/shops/${f.businessId}`}>{f.businessName}</Link> : null}
      </p>
      <p className="muted small">
        {t(`desk.sources.${f.source}`)} · {formatDateTime(f.createdAt, locale)} · {f.authorName}
        {f.hideName ? ` (${t("desk.anonymous")})` : ""}
      </p>
      <p className="post__body">{f.body}</p>
      {f.photoIds.length > 0 ? (
        <div className="desk__photos" data-testid="feedback-photos">
          {f.photoIds.map((photoId) => (
            <a key={photoId} href={`/desk/feedback/${f.id}/photos/${photoId}`}>
              <img src={`/desk/feedback/${f.id}/photos/${photoId}`} alt="" width={160} height={120} loading="lazy" />
            </a>
          ))}
        </div>
      ) : null}
      {f.reply ? (
        <section className="card">
          <h2>{t("desk.answeredBy")}</h2>
          <p className="post__body">{f.reply}</p>
        </section>
      ) : null}
      {f.disputeId ? <Link to={`/disputes/${f.disputeId}`}>{t("desk.actions.openDispute")}</Link> : null}
      {f.proposalId ? <Link to={`/alliance/proposals/${f.proposalId}`}>{t("desk.actions.openProposal")}</Link> : null}
    </article>
  );
}
