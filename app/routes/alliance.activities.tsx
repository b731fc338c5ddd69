import { type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { Outcome } from "~/components/alliance";
import { can } from "~/domain/accounts/permissions";
import { createActivity, listActivities, signUp } from "~/domain/alliance/activities.server";
import { myMemberBusinesses } from "~/domain/alliance/members.server";
import { activitySchema, signupSchema } from "~/domain/alliance/schemas";
import { clockNow } from "~/lib/clock.server";
import { requireUser } from "~/lib/http.server";
import { attempt, invalidForm } from "~/lib/refusal.server";
import { formatDateTime } from "~/lib/time";

export async function loader({ context }: LoaderFunctionArgs) {
  const { db, actor } = context;
  return {
    activities: await listActivities(db, actor, clockNow()),
    myBusinesses: await myMemberBusinesses(db, actor),
    mayManage: can(actor, { action: "alliance.manageActivities" }),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const form = Object.fromEntries(await request.formData());
  if (form.intent === "signUp") {
    const parsed = signupSchema
      .extend({ activityId: z.coerce.number().int().positive().max(2147483647, { error: "security.idInvalid" }) })
      .safeParse(form);
    if (!parsed.success) return invalidForm();
    return attempt(() => signUp(context.db, user, parsed.data.activityId, parsed.data.businessId, clockNow()));
  }
  const parsed = activitySchema.safeParse({ ...form, capacity: form.capacity || undefined });
  if (!parsed.success) return invalidForm(parsed.error.issues[0]?.message);
  return attempt(() => createActivity(context.db, user, parsed.data));
}

export default function Activities() {
  const { activities, myBusinesses, mayManage } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language as "zh-CN" | "en";
  return (
    <section className="stack alliance">
      <p>
        <Link to="/alliance">← {t("alliance.title")}</Link>
      </p>
      <h1>{t("alliance.activities")}</h1>
      <Outcome result={actionData} okText={t("admin.done")} />
      {activities.length === 0 ? <p className="muted">{t("alliance.activity.none")}</p> : null}
      <ul className="post-list" data-testid="activities">
        {activities.map((a) => {
          const open = myBusinesses.filter((b) => !a.mySignedUp.includes(b.id));
          return (
            <li key={a.id} className="post">
              <h2 className="post__title">{a.title}</h2>
              <dl className="facts">
                <dt>{t("alliance.activity.when")}</dt>
                <dd>
                  {formatDateTime(a.startsAt, locale)} – {formatDateTime(a.endsAt, locale)}
                </dd>
                <dt>{t("alliance.activity.place")}</dt>
                <dd>{a.place}</dd>
              </dl>
              <p className="post__body">{a.body}</p>
              <p className="muted">
                {a.capacity ? `${t("alliance.activity.capacity", { count: a.capacity })} · ` : ""}
                {t("alliance.activity.signedUp", { names: a.signups.join("、") || "—" })}
              </p>
              {a.mySignedUp.length > 0 ? (
                <span className="badge badge--adopted">{t("alliance.activity.youAreIn")}</span>
              ) : null}
              {open.length > 0 ? (
                <Form method="post" className="stack">
                  <input type="hidden" name="activityId" value={a.id} />
                  {open.length === 1 ? (
                    <input type="hidden" name="businessId" value={open[0].id} />
                  ) : (
                    <select name="businessId" aria-label={t("alliance.form.actingFor")}>
                      {open.map((b) => (
                        <option key={b.id} value={b.id}>
                          {b.name}
                        </option>
                      ))}
                    </select>
                  )}
                  <button type="submit" name="intent" value="signUp" className="button">
                    {t("alliance.activity.signUp")}
                  </button>
                </Form>
              ) : null}
            </li>
          );
        })}
      </ul>
      {mayManage ? (
        <details className="card">
          <summary>{t("alliance.activity.create")}</summary>
          <Form method="post" className="stack">
            <div className="field">
              <label htmlFor="activity-title">{t("alliance.form.title")}</label>
              <input id="activity-title" name="title" required maxLength={60} />
            </div>
            <div className="field">
              <label htmlFor="activity-place">{t("alliance.activity.place")}</label>
              <input id="activity-place" name="place" required maxLength={80} />
            </div>
            <div className="field">
              <label htmlFor="activity-starts">{t("alliance.activity.startsAt")}</label>
              <input id="activity-starts" name="startsAt" type="datetime-local" required />
            </div>
            <div className="field">
              <label htmlFor="activity-ends">{t("alliance.activity.endsAt")}</label>
              <input id="activity-ends" name="endsAt" type="datetime-local" required />
            </div>
            <div className="field">
              <label htmlFor="activity-capacity">{t("alliance.activity.capacity", { count: "" })}</label>
              <input id="activity-capacity" name="capacity" type="number" min={1} />
            </div>
            <div className="field">
              <label htmlFor="activity-body">{t("alliance.activity.body")}</label>
              <textarea id="activity-body" name="body" rows={4} required />
            </div>
            <button type="submit" name="intent" value="create" className="button button--primary">
              {t("alliance.activity.create")}
            </button>
          </Form>
        </details>
      ) : null}
    </section>
  );
}
