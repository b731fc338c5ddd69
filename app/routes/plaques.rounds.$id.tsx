import { getFormProps } from "@conform-to/react";
import { pageMeta } from "~/i18n/meta";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { translatorOf, useTranslation } from "~/i18n/react";
import { Field, FormErrors, useZodForm } from "~/components/field";
import { SelectField } from "~/components/select-field";
import { Notice, RecordList } from "~/components/page-parts";
import { SubmitButton } from "~/components/submit-button";
import { PlaqueBadge } from "~/components/directory";
import { RoundWindows, TextareaField } from "~/components/plaques";
import { nominate, roundPage } from "~/domain/badges/selection.server";
import { nominationSchema } from "~/domain/badges/schemas";
import { createI18n } from "~/i18n/i18n";
import { clockNow } from "~/lib/clock.server";
import { conformRedirectAction } from "~/lib/forms.server";
import { orErrorPage, requireUser } from "~/lib/http.server";
import { formatDateTime } from "~/lib/time";

const roundId = (params: { id?: string }) => {
  const id = Number(params.id);
  if (!Number.isInteger(id) || id <= 0) throw data({ code: "errors.notFound" }, { status: 404 });
  return id;
};

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const page = await orErrorPage(() => roundPage(context.db, context.actor, roundId(params), clockNow()));
  const t = translatorOf(createI18n(context.locale));
  return {
    ...page,
    signedIn: !!context.actor,
    nominated: new URL(request.url).searchParams.get("nominated") === "1",
    title: `${t("plaques.roundTitle", { year: page.round.year, plaque: t(`plaques.kinds.${page.round.kind}`) })}`,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageMeta(matches, data ? { title: data.title } : "plaques");

export async function action({ params, request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const id = roundId(params);
  return conformRedirectAction(
    await request.formData(),
    nominationSchema,
    (value) => nominate(context.db, user, { roundId: id, ...value }, clockNow()),
    `/plaques/rounds/${id}?nominated=1`,
  );
}

export default function Round() {
  const { round, nominations, hidden, mayNominate, mayNominateAny, ownBusinesses, mayReview, signedIn, nominated } =
    useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language === "en" ? "en" : "zh-CN";
  const [form, fields] = useZodForm(nominationSchema, {
    lastResult,
    defaultValue: { businessCode: mayNominateAny ? "" : (ownBusinesses[0]?.code ?? "") },
  });
  const canNominate = mayNominate && (mayNominateAny || ownBusinesses.length > 0);
  return (
    <section className="stack plaques">
      <p>
        <Link to="/plaques">{t("plaques.title")}</Link>
      </p>
      <h1>{t("plaques.roundTitle", { year: round.year, plaque: t(`plaques.kinds.${round.kind}`) })}</h1>
      <p>
        <PlaqueBadge kind={round.kind} year={round.year} />{" "}
        <span className="badge" data-testid="round-phase">
          {t(`plaques.phase.${round.phase}`)}
        </span>
      </p>
      <dl className="facts card">
        <dt>{t("plaques.criteria")}</dt>
        <dd className="post__body">{round.criteria}</dd>
        <RoundWindows round={round} />
      </dl>
      {nominated ? <Notice ok>{t("plaques.nominate.done")}</Notice> : null}
      {round.phase === "nominating" ? (
        canNominate ? (
          <Form method="post" {...getFormProps(form)} className="card stack" data-testid="nominate-form">
            <h2>{t("plaques.nominate.title")}</h2>
            <FormErrors id={form.errorId} errors={form.errors} />
            {mayNominateAny ? (
              <Field
                meta={fields.businessCode}
                label={t("plaques.nominate.business")}
                hint={t("plaques.nominate.businessHint")}
                autoComplete="off"
              />
            ) : (
              <SelectField
                meta={fields.businessCode}
                label={t("plaques.nominate.ownBusiness")}
                options={ownBusinesses.map((b) => ({ value: b.code, label: `${b.name}（${b.code}）` }))}
              />
            )}
            <TextareaField meta={fields.reason} text="plaques.nominate.reason" rows={3} />
            <SubmitButton primary label={t("plaques.nominate.submit")} />
          </Form>
        ) : (
          <p className="muted">
            {signedIn ? (
              t("plaques.nominate.notAllowed")
            ) : (
              <Link to={`/login?redirectTo=${encodeURIComponent(`/plaques/rounds/${round.id}`)}`}>
                {t("plaques.nominate.signIn")}
              </Link>
            )}
          </p>
        )
      ) : null}
      <h2>{t("plaques.nominations")}</h2>
      <RecordList
        items={nominations}
        empty={t("plaques.noNominations")}
        className="nomination-list"
        testId="nominations"
      >
        {(n) => (
          <li key={n.id} className="card stack" data-nomination-id={n.id}>
            <p>
              <Link to={`/shops/${n.businessId}`}>{n.businessName}</Link>{" "}
              <span className="muted small">{n.businessCode}</span>{" "}
              <span
                className={
                  n.status === "declined"
                    ? "badge badge--bad"
                    : n.status === "awarded"
                      ? "badge badge--adopted"
                      : "badge"
                }
                data-testid="nomination-status"
              >
                {n.lapsed
                  ? t("plaques.status.lapsed")
                  : n.revoked
                    ? t("plaques.revoked")
                    : t(`plaques.status.${n.status}`)}
              </span>
            </p>
            <p className="muted small">
              {t(`plaques.capacity.${n.capacity}`)}
              {n.nominatorName ? ` · ${t("plaques.nominatedBy", { name: n.nominatorName })}` : ""} ·{" "}
              {formatDateTime(n.createdAt, locale)}
            </p>
            <p className="post__body">{n.reason}</p>
            {n.reviewComment ? (
              <p className="post__body">
                <strong>{t("plaques.sheet.comment")}: </strong>
                {n.reviewComment}
              </p>
            ) : null}
            {n.plaqueCode ? (
              <p className="small">
                <Link to={`/verify/${n.plaqueCode}`}>{t("plaques.verify")}</Link>
              </p>
            ) : null}
            {mayReview && (n.status === "open" || n.status === "recommended") && !n.lapsed ? (
              <Link className="button" to={`/admin/plaques/nominations/${n.id}`}>
                {t("plaques.review")}
              </Link>
            ) : null}
          </li>
        )}
      </RecordList>
      {hidden > 0 ? <p className="muted small">{t("plaques.hiddenNominations", { count: hidden })}</p> : null}
    </section>
  );
}
