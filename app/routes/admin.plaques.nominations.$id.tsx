import { pageMeta } from "~/i18n/meta";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { useTranslation } from "~/i18n/react";
import { ConformForm, useZodForm, FieldErrors } from "~/components/field";
import { PlaqueBadge } from "~/components/directory";
import { RevokedNote, TextareaField } from "~/components/plaques";
import { RecordList } from "~/components/page-parts";
import { decideNomination, reviewSheet } from "~/domain/badges/selection.server";
import { decisionSchema } from "~/domain/badges/schemas";
import { clockNow } from "~/lib/clock.server";
import { conformRedirectAction } from "~/lib/forms.server";
import { orErrorPage, requireUser } from "~/lib/http.server";
import { districtDate, formatDateTime } from "~/lib/time";
import { complaintOutcomes } from "~/domain/feedback/outcomes";
import { disputeOutcomes, feedbackKinds } from "~/domain/vocabularies";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "adminNomination");

const nominationId = (params: { id?: string }) => {
  const id = Number(params.id);
  if (!Number.isInteger(id) || id <= 0) throw data({ code: "errors.notFound" }, { status: 404 });
  return id;
};

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const sheet = await orErrorPage(() => reviewSheet(context.db, user, nominationId(params), clockNow()));
  const award = sheet.plaques.find((p) => p.kind === sheet.round.kind && p.year === sheet.round.year) ?? null;
  return { ...sheet, award };
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const id = nominationId(params);
  return conformRedirectAction(
    await request.formData(),
    decisionSchema,
    (value) => decideNomination(context.db, user, id, value, clockNow()),
    `/admin/plaques/nominations/${id}`,
  );
}

export default function ReviewNomination() {
  const {
    nomination,
    round,
    business,
    nominatorName,
    record,
    plaques,
    otherNominations,
    mayDecide,
    conflicted,
    award,
    stage,
    reviewerName,
    ownRecommendation,
  } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language === "en" ? "en" : "zh-CN";
  const [form, fields] = useZodForm(decisionSchema, {
    lastResult,
  });
  return (
    <section className="stack plaques">
      <p>
        <Link to={`/plaques/rounds/${round.id}`}>
          {t("plaques.roundTitle", { year: round.year, plaque: t(`plaques.kinds.${round.kind}`) })}
        </Link>
      </p>
      <h1>{t("plaques.sheet.title", { business: business.name })}</h1>
      <dl className="facts card">
        <dt>{t("directory.verify.business")}</dt>
        <dd>
          <Link to={`/shops/${business.id}`}>{business.name}</Link> <span className="muted small">{business.code}</span>
        </dd>
        <dt>{t("plaques.sheet.nomination")}</dt>
        <dd>
          {t(`plaques.capacity.${nomination.capacity}`)}
          {nominatorName ? ` · ${t("plaques.nominatedBy", { name: nominatorName })}` : ""} ·{" "}
          {formatDateTime(nomination.createdAt, locale)}
        </dd>
        <dt>{t("plaques.nominate.reason")}</dt>
        <dd className="post__body">{nomination.reason}</dd>
      </dl>

      <h2>
        {t("plaques.sheet.record", {
          from: districtDate(new Date(record.since)),
          to: districtDate(new Date(record.until)),
        })}
      </h2>
      <div className="table-wrap">
        <table className="record-table" data-testid="record">
          <tbody>
            <tr>
              <th scope="row">{t("plaques.sheet.complaints")}</th>
              <td data-testid="record-complaints">{record.complaints}</td>
            </tr>
            {feedbackKinds.map((k) => (
              <tr key={k}>
                <th scope="row">
                  {t("plaques.sheet.feedbackByKind")}: {t(`desk.kinds.${k}`)}
                </th>
                <td>{record.feedbackByKind[k]}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">{t("plaques.sheet.disputes")}</th>
              <td data-testid="record-disputes">{record.disputes}</td>
            </tr>
            {[...disputeOutcomes, "open" as const].map((o) => (
              <tr key={o}>
                <th scope="row">
                  {t("plaques.sheet.disputesByOutcome")}: {t(`plaques.sheet.outcomes.${o}`)}
                </th>
                <td>{record.disputesByOutcome[o]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>{t("plaques.sheet.complaintsByOutcome")}</h2>
      <div className="table-wrap">
        <table className="record-table" data-testid="complaints-by-outcome">
          <tbody>
            {complaintOutcomes.map((o) => (
              <tr key={o}>
                <th scope="row">{t(`plaques.sheet.complaintOutcomes.${o}`)}</th>
                <td data-testid={`complaints-${o}`}>{record.complaintsByOutcome[o]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        <strong data-testid="against-shop">{t("plaques.sheet.againstShop", { count: record.againstShop })}</strong>
      </p>
      {record.complaintItems.length > 0 ? (
        <details>
          <summary>{t("plaques.sheet.complaintItems")}</summary>
          <ul className="holder-list" data-testid="complaint-items">
            {record.complaintItems.map((c) => (
              <li key={`${c.type}-${c.id}`} className="holder">
                <Link to={c.link}>
                  {t(c.type === "dispute" ? "plaques.sheet.itemDispute" : "plaques.sheet.itemFeedback", { id: c.id })}
                </Link>{" "}
                <span className="badge">{t(`plaques.sheet.complaintOutcomes.${c.outcome}`)}</span>{" "}
                <span className="muted small">{formatDateTime(c.createdAt, locale)}</span>
                <p className="small">{c.excerpt}</p>
              </li>
            ))}
          </ul>
        </details>
      ) : null}

      <h2>{t("plaques.sheet.plaques")}</h2>
      <RecordList items={plaques} empty={t("plaques.sheet.noPlaques")} className="holder-list" testId="past-plaques">
        {(p) => (
          <li key={p.id} className={p.revokedAt ? "holder holder--revoked" : "holder"}>
            <PlaqueBadge kind={p.kind} year={p.year} />
            {p.revokedAt ? <RevokedNote at={p.revokedAt} reason={p.revokeReason} /> : null}
          </li>
        )}
      </RecordList>
      {otherNominations.length > 0 ? (
        <>
          <h2>{t("plaques.sheet.otherNominations")}</h2>
          <ul className="holder-list">
            {otherNominations.map((n) => (
              <li key={n.id} className="holder">
                {t("plaques.roundTitle", { year: n.year, plaque: t(`plaques.kinds.${n.kind}`) })}:{" "}
                {t(`plaques.status.${n.status}`)}
                {n.reviewComment ? <p className="small muted">{n.reviewComment}</p> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}

      {nomination.status === "recommended" ? (
        <p className="notice" data-testid="recommended">
          {ownRecommendation
            ? t("plaques.sheet.ownRecommendation")
            : t("plaques.sheet.confirmStage", { name: reviewerName ?? "" })}
        </p>
      ) : null}
      {nomination.status !== "open" && nomination.status !== "recommended" ? (
        <div className="card stack" data-testid="decision">
          <p>
            <strong>{t("plaques.sheet.decided", { status: t(`plaques.status.${nomination.status}`) })}</strong>
          </p>
          {nomination.reviewComment ? <p className="post__body">{nomination.reviewComment}</p> : null}
          {award && nomination.status === "awarded" ? (
            <p>
              {t("plaques.sheet.awardedNotice")}{" "}
              <Link to={`/verify/${award.code}`} data-testid="award-code">
                <code className="plaque-code">{award.code}</code>
              </Link>
            </p>
          ) : null}
        </div>
      ) : ownRecommendation ? null : conflicted ? (
        <p className="notice">{t("plaques.sheet.conflicted")}</p>
      ) : !mayDecide ? (
        <p className="notice">{t("plaques.sheet.notInWindow")}</p>
      ) : (
        <ConformForm form={form} className="card stack" data-testid="decide-form">
          <TextareaField meta={fields.comment} text="plaques.sheet.comment" rows={4} />
          <FieldErrors meta={fields.decision} live={false} />
          <div className="decision-buttons">
            <button type="submit" name={fields.decision.name} value="award" className="button button--primary">
              {t(stage === "confirm" ? "plaques.sheet.confirm" : "plaques.sheet.recommend")}
            </button>
            <button type="submit" name={fields.decision.name} value="decline" className="button">
              {t("plaques.sheet.decline")}
            </button>
          </div>
        </ConformForm>
      )}
    </section>
  );
}
