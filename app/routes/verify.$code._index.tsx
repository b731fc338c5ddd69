import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { isRouteErrorResponse, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { translatorOf, useTranslation } from "~/i18n/react";
import { FeedbackForm } from "~/components/desk";
import { ConformForm, useZodForm } from "~/components/field";
import { SubmitButton } from "~/components/submit-button";
import { TextareaField } from "~/components/plaques";
import { PlaqueBadge } from "~/components/directory";
import { can } from "~/domain/accounts/permissions";
import { revokeSchema } from "~/domain/badges/schemas";
import { revokePlaque } from "~/domain/badges/selection.server";
import { verifyPlaque } from "~/domain/badges/verify.server";
import { trustRecord } from "~/domain/feedback/trust-record.server";
import { CaseLookup, ComplainLink, TrustRecordCard } from "~/components/trust";
import { clockNow } from "~/lib/clock.server";
import { conformRedirectAction } from "~/lib/forms.server";
import { requireUser } from "~/lib/http.server";
import { createI18n } from "~/i18n/i18n";
import { formatDateTime } from "~/lib/time";
import { NotFoundBoundary, Notice } from "~/components/page-parts";

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const now = clockNow();
  const plaque = await verifyPlaque(context.db, params.code ?? "", now);
  const t = translatorOf(createI18n(context.locale));
  if (!plaque) throw data({ code: "notGenuine", title: t("directory.verify.notGenuineTitle") }, { status: 404 });
  return {
    plaque,
    record: await trustRecord(context.db, plaque.businessId, now),
    canPrint: can(context.actor, { action: "plaque.print" }),
    canRevoke: can(context.actor, { action: "plaque.revoke" }),
    signedIn: !!context.actor,
    sent: new URL(request.url).searchParams.get("feedback") === "sent",
    title: `${t(`directory.verify.${plaque.verdict}`)} · ${plaque.businessName} · ${t("app.name")}`,
  };
}

/** 摘牌, by staff, with a reason the page shows from then on. */
export async function action({ params, request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  return conformRedirectAction(
    await request.formData(),
    revokeSchema,
    (value) => revokePlaque(context.db, user, params.code ?? "", value.reason, clockNow()),
    `/verify/${(params.code ?? "").toLowerCase()}`,
  );
}

export const meta: MetaFunction<typeof loader> = ({ data, error }) => {
  const title = data?.title ?? (isRouteErrorResponse(error) ? (error.data as { title?: string })?.title : undefined);
  return [
    { title: title ?? "信圈" },
    { name: "description", content: title ?? "信圈" },
    { name: "robots", content: "noindex" },
  ];
};

export default function VerifyPlaque() {
  const { plaque, record, canPrint, canRevoke, signedIn, sent } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const [form, fields] = useZodForm(revokeSchema, {
    lastResult,
  });
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
            : t("directory.verify.revokedBody", {
                date: formatDateTime(plaque.revokedAt!, locale),
                reason: plaque.revokeReason ?? "",
              })}
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
      <TrustRecordCard record={record} />
      <div className="trust__actions">
        <ComplainLink businessId={plaque.businessId} from="plaque" />
        <Link className="button" to={`/shops/${plaque.businessId}`}>
          {t("directory.verify.viewShop")}
        </Link>
      </div>
      <section className="card">
        <h2>{t("trust.cases.title")}</h2>
        <CaseLookup />
      </section>
      {canPrint && plaque.verdict === "current" ? (
        <Link className="button" to={`/verify/${plaque.code}/print`}>
          {t("directory.verify.print")}
        </Link>
      ) : null}
      {canRevoke && plaque.verdict !== "revoked" ? (
        <details className="card" open={!!lastResult}>
          <summary>{t("plaques.revoke.title")}</summary>
          <ConformForm form={form} data-testid="revoke-form">
            <TextareaField meta={fields.reason} text="plaques.revoke.reason" rows={3} />
            <SubmitButton className="button button--danger" label={t("plaques.revoke.submit")} />
          </ConformForm>
        </details>
      ) : null}
      <details className="card desk" id="feedback" open={sent}>
        <summary>{t("desk.reportProblem")}</summary>
        {sent ? <Notice ok>{t("desk.feedbackSent")}</Notice> : null}
        <FeedbackForm
          source="plaque"
          businessId={plaque.businessId}
          returnTo={`/verify/${plaque.code}#feedback`}
          signedIn={signedIn}
        />
      </details>
    </section>
  );
}

export function ErrorBoundary() {
  const { t } = useTranslation();
  return (
    <NotFoundBoundary>
      <section className="stack verify" data-verdict="not-genuine">
        <p className="muted">{t("directory.verify.title")}</p>
        <h1 className="verdict verdict--revoked" data-testid="verdict">
          {t("directory.verify.notGenuineTitle")}
        </h1>
        <p>{t("directory.verify.notGenuineBody")}</p>
        <Link to="/shops">{t("directory.title")}</Link>
      </section>
    </NotFoundBoundary>
  );
}
