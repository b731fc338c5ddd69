import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, isRouteErrorResponse, useLoaderData, useRouteError } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FeedbackForm } from "~/components/desk";
import { PlaqueBadge } from "~/components/directory";
import { can } from "~/domain/accounts/permissions";
import { verifyPlaque } from "~/domain/badges/verify.server";
import { createI18n } from "~/i18n/i18n";
import { formatDateTime } from "~/lib/time";

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const plaque = await verifyPlaque(context.db, params.code ?? "");
  const t = createI18n(context.locale).t;
  if (!plaque) throw data({ code: "notGenuine", title: t("directory.verify.notGenuineTitle") }, { status: 404 });
  return {
    plaque,
    canPrint: can(context.actor, { action: "plaque.print" }),
    signedIn: !!context.actor,
    sent: new URL(request.url).searchParams.get("feedback") === "sent",
    title: `${t(`directory.verify.${plaque.verdict}`)} · ${plaque.businessName} · ${t("app.name")}`,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data, error }) => {
  if (data) return [{ title: data.title }, { name: "robots", content: "noindex" }];
  const title = isRouteErrorResponse(error) ? (error.data as { title?: string })?.title : undefined;
  return [{ title: title ?? "信圈" }, { name: "robots", content: "noindex" }];
};

export default function VerifyPlaque() {
  const { plaque, canPrint, signedIn, sent } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language === "en" ? "en" : "zh-CN";
  return (
    <section className="stack verify" data-verdict={plaque.verdict}>
      <p className="muted">{t("directory.verify.title")}</p>
      <h1 className={`verdict verdict--${plaque.verdict}`} data-testid="verdict">
        {t(`directory.verify.${plaque.verdict}`)}
      </h1>
      <p>
        {plaque.verdict === "current"
          ? t("directory.verify.currentBody", { issuer: plaque.issuer })
          : plaque.verdict === "superseded"
            ? t("directory.verify.supersededBody", { year: plaque.year })
            : t("directory.verify.revokedBody", { date: formatDateTime(plaque.revokedAt!, locale), reason: plaque.revokeReason ?? "" })}
      </p>
      <dl className="facts card">
        <dt>{t("directory.verify.business")}</dt>
        <dd>
          <Link to={`/shops/${plaque.businessId}`}>{plaque.businessName}</Link>
        </dd>
        <dt>{t("directory.verify.kind")}</dt>
        <dd>
          <PlaqueBadge kind={plaque.kind} />
        </dd>
        <dt>{t("directory.verify.year")}</dt>
        <dd>{plaque.year}</dd>
        <dt>{t("directory.verify.issuer")}</dt>
        <dd>{plaque.issuer}</dd>
        <dt>{t("directory.verify.citation")}</dt>
        <dd>{plaque.citation}</dd>
        <dt>{t("directory.verify.code")}</dt>
        <dd>
          <code className="plaque-code">{plaque.code}</code>
        </dd>
      </dl>
      <Link className="button" to={`/shops/${plaque.businessId}`}>
        {t("directory.verify.viewShop")}
      </Link>
      {canPrint && plaque.verdict === "current" ? (
        <Link className="button" to={`/verify/${plaque.code}/print`}>
          {t("directory.verify.print")}
        </Link>
      ) : null}
      <details className="card desk" id="feedback" open={sent}>
        <summary>{t("desk.reportProblem")}</summary>
        {sent ? (
          <p className="notice-ok" role="status">
            {t("desk.feedbackSent")}
          </p>
        ) : null}
        <FeedbackForm source="plaque" businessId={plaque.businessId} returnTo={`/verify/${plaque.code}#feedback`} signedIn={signedIn} />
      </details>
    </section>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <section className="stack verify" data-verdict="not-genuine">
        <p className="muted">{t("directory.verify.title")}</p>
        <h1 className="verdict verdict--revoked" data-testid="verdict">
          {t("directory.verify.notGenuineTitle")}
        </h1>
        <p>{t("directory.verify.notGenuineBody")}</p>
        <Link to="/shops">{t("directory.title")}</Link>
      </section>
    );
  }
  throw error;
}
