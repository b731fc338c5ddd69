import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { useTranslation } from "~/i18n/react";
import { FeedbackForm } from "~/components/desk";
import { isDomainError } from "~/domain/errors";
import { giveFeedback, publicAnswered } from "~/domain/feedback/feedback.server";
import { feedbackSchema } from "~/domain/feedback/schemas";
import { clockNow } from "~/lib/clock.server";
import { requireUser, safeRedirectTarget } from "~/lib/http.server";
import { formatDateTime } from "~/lib/time";
import { Notice } from "~/components/page-parts";
import type { FeedbackSource } from "~/domain/vocabularies";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "feedback");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  return {
    answered: await publicAnswered(context.db),
    signedIn: !!context.actor,
    sent: url.searchParams.get("feedback") === "sent",
  };
}

/** Every feedback form (shop page, verify page, board) posts here and goes back where it came from. */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const form = Object.fromEntries(await request.formData());
  const values = {
    kind: String(form.kind ?? ""),
    body: String(form.body ?? ""),
    hideName: form.hideName === "on",
    source: String(form.source ?? "board"),
    businessId: String(form.businessId ?? ""),
    returnTo: String(form.returnTo ?? ""),
  };
  const parsed = feedbackSchema.safeParse(form);
  if (!parsed.success)
    return data({ error: parsed.error.issues[0]?.message ?? "errors.invalid", values }, { status: 400 });
  const { returnTo, ...input } = parsed.data;
  try {
    await giveFeedback(context.db, user, input, clockNow());
  } catch (error) {
    if (isDomainError(error)) return data({ error: error.code, values }, { status: error.status });
    throw error;
  }
  const back = safeRedirectTarget(returnTo, "/feedback");
  const [path, hash] = back.split("#");
  return redirect(`${path}${path.includes("?") ? "&" : "?"}feedback=sent#${hash ?? "feedback"}`);
}

export default function FeedbackPage() {
  const { answered, signedIn, sent } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language as "zh-CN" | "en";
  const v = result?.values;
  return (
    <section className="stack desk">
      <h1>{t("desk.publicTitle")}</h1>
      <p className="muted">{t("desk.publicIntro")}</p>
      {signedIn ? (
        <p className="desk__inline">
          <Link to="/disputes">{t("desk.myDisputes")}</Link>
          <Link to="/disputes/new" className="button">
            {t("desk.fileDispute")}
          </Link>
        </p>
      ) : null}
      <ul className="desk__answers" data-testid="answered">
        {answered.length === 0 ? <li className="muted">{t("desk.noAnswered")}</li> : null}
        {answered.map((a) => (
          <li key={a.id} className="card">
            <p className="muted small">
              {t(`desk.kinds.${a.kind}`)} · {t(`desk.sources.${a.source}`)}
              {a.businessId ? (
                <>
                  {" · "}
                  <Link to={`/shops/${a.businessId}`}>{a.businessName}</Link>
                </>
              ) : null}
            </p>
            <p>
              <strong>{t("desk.youSaid")}：</strong>
              {a.body}
            </p>
            <p>
              <strong>{t("desk.weDid")}：</strong>
              {a.reply}
            </p>
            {a.repliedAt ? <p className="muted small">{formatDateTime(a.repliedAt, locale)}</p> : null}
          </li>
        ))}
      </ul>
      <section className="card stack" id="feedback">
        <h2>{t("desk.giveFeedbackBoard")}</h2>
        {sent ? <Notice ok>{t("desk.feedbackSent")}</Notice> : null}
        {result?.error ? <Notice ok={false}>{t(result.error)}</Notice> : null}
        <FeedbackForm
          source={(v?.source as FeedbackSource) ?? "board"}
          businessId={v?.businessId ? Number(v.businessId) : undefined}
          returnTo={v?.returnTo || "/feedback"}
          signedIn={signedIn}
          values={v}
          defaultKind="suggestion"
        />
      </section>
    </section>
  );
}
