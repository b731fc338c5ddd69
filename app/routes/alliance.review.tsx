import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { useTranslation } from "~/i18n/react";
import { InputField } from "~/components/field";
import { SubmitButton } from "~/components/submit-button";
import { ModerateForm, Outcome, ReportsLine } from "~/components/alliance";
import { can } from "~/domain/accounts/permissions";
import { mobilePhone } from "~/domain/accounts/schemas";
import { appointModerator, moderatePost, reviewQueue } from "~/domain/alliance/board.server";
import { moderationSchema } from "~/domain/alliance/schemas";
import { forbidden } from "~/domain/errors";
import { clockNow } from "~/lib/clock.server";
import { orErrorPage, requireUser } from "~/lib/http.server";
import { attempt, attemptParsed, invalidForm } from "~/lib/refusal.server";
import { PageSection } from "~/components/page-parts";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "allianceReview");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const mayModerate = can(user, { action: "alliance.moderate" });
  const mayAppoint = can(user, { action: "alliance.appointModerator" });
  if (!mayModerate && !mayAppoint) await orErrorPage(() => Promise.reject(forbidden()));
  return {
    queue: mayModerate ? await orErrorPage(() => reviewQueue(context.db, user)) : [],
    mayAppoint,
    mayModerate,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const form = Object.fromEntries(await request.formData());
  if (form.intent === "appoint") {
    const phone = mobilePhone.safeParse(form.phone);
    if (!phone.success) return invalidForm(phone.error.issues[0]?.message);
    return attempt(() => appointModerator(context.db, user, phone.data));
  }
  return attemptParsed(form, moderationSchema, (v) => moderatePost(context.db, user, v, clockNow()));
}

export default function Review() {
  const { queue, mayAppoint, mayModerate } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <PageSection className="stack alliance" title={t("alliance.review")}>
      <Outcome result={actionData} okText={t("admin.done")} />
      <h2>{t("alliance.moderation.queue")}</h2>
      {mayModerate ? (
        <p>
          <Link to="/reviews/reported">{t("reviews.queue")}</Link>
        </p>
      ) : null}
      {queue.length === 0 ? <p className="muted">{t("alliance.moderation.empty")}</p> : null}
      <ul className="post-list" data-testid="review-queue">
        {queue.map((item) => (
          <li key={`${item.kind}-${item.subjectId}`} className="post">
            <p>
              <span className="badge">{t(`alliance.moderation.kind.${item.kind}`)}</span>{" "}
              {item.hidden ? <span className="badge badge--bad">{t("alliance.hiddenBadge")}</span> : null}{" "}
              <Link to={item.link}>{item.title}</Link>
            </p>
            <ReportsLine count={t("alliance.moderation.reports", { count: item.reports })} reasons={item.reasons} />
            {item.votingOpen ? (
              <p className="muted" data-testid="review-voting-open">
                {t("alliance.moderation.votingOpen")}
              </p>
            ) : (
              <ModerateForm kind={item.kind} subjectId={item.subjectId} hidden={item.hidden} />
            )}
          </li>
        ))}
      </ul>
      {mayAppoint ? (
        <section className="card stack">
          <h2>{t("alliance.appoint")}</h2>
          <p>{t("alliance.appointIntro")}</p>
          <Form method="post" className="stack">
            <InputField
              id="appoint-phone"
              label={t("admin.userPhone")}
              name="phone"
              type="tel"
              inputMode="tel"
              required
            />
            <SubmitButton intent="appoint" primary label={t("alliance.appointSubmit")} />
          </Form>
        </section>
      ) : null}
    </PageSection>
  );
}
