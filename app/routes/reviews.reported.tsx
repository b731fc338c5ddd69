import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { pageMeta } from "~/i18n/meta";
import { useTranslation } from "~/i18n/react";
import { Outcome, ReportsLine } from "~/components/alliance";
import { decideReview, reviewReportQueue } from "~/domain/reviews/reviews.server";
import { decisionSchema } from "~/domain/reviews/rules";
import { clockNow } from "~/lib/clock.server";
import { orErrorPage, requireUser } from "~/lib/http.server";
import { attempt, invalidForm } from "~/lib/refusal.server";
import { PageSection } from "~/components/page-parts";

/** The officers' queue of reported reviews, shaped like the board's (/alliance/review). */
export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "reviewsReported", { noindex: true });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  return { queue: await orErrorPage(() => reviewReportQueue(context.db, user)) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const parsed = decisionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return invalidForm(parsed.error.issues[0]?.message);
  return attempt(() => decideReview(context.db, user, parsed.data, clockNow()));
}

export default function ReportedReviews() {
  const { queue } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <PageSection className="stack alliance" title={t("reviews.queue")}>
      <Outcome result={result} okText={t("reviews.decided")} />
      {queue.length === 0 ? <p className="muted">{t("reviews.queueEmpty")}</p> : null}
      <ul className="post-list" data-testid="review-report-queue">
        {queue.map((item) => (
          <li key={item.id} className="post">
            <p>
              <Link to={`/shops/${item.businessId}#reviews`}>{item.businessName}</Link> ·{" "}
              {t("reviews.stars", { rating: item.rating })}
            </p>
            <p>{item.body}</p>
            <ReportsLine count={t("reviews.reports", { count: item.reports })} reasons={item.reasons} />
            {item.conflicted ? (
              <p className="muted" data-testid="review-conflicted">
                {t("reviews.conflicted")}
              </p>
            ) : (
              <Form method="post" className="stack">
                <input type="hidden" name="reviewId" value={item.id} />
                <label htmlFor={`reason-${item.id}`}>{t("reviews.decisionReason")}</label>
                <input id={`reason-${item.id}`} name="reason" required minLength={2} maxLength={300} />
                <div className="row">
                  <button type="submit" name="decision" value="keep" className="button">
                    {t("reviews.keep")}
                  </button>{" "}
                  <button type="submit" name="decision" value="hide" className="button button--danger">
                    {t("reviews.hide")}
                  </button>
                </div>
              </Form>
            )}
          </li>
        ))}
      </ul>
    </PageSection>
  );
}
