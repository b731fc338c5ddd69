import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { useTranslation } from "~/i18n/react";
import { InputField, TextareaField } from "~/components/field";
import { SubmitButton } from "~/components/submit-button";
import { z } from "zod";
import { Outcome, ReasonField } from "~/components/alliance";
import { can } from "~/domain/accounts/permissions";
import {
  cancelActivity,
  createActivity,
  editActivity,
  listActivities,
  signUp,
  withdrawSignUp,
} from "~/domain/alliance/activities.server";
import { myMemberBusinesses } from "~/domain/alliance/members.server";
import { activityCancelSchema, activityEditSchema, activitySchema, signupSchema } from "~/domain/alliance/schemas";
import { clockNow } from "~/lib/clock.server";
import { requireUser } from "~/lib/http.server";
import { attempt, attemptParsed, invalidForm } from "~/lib/refusal.server";
import { idParam } from "~/lib/ids";
import { districtInputValue, formatDateTime } from "~/lib/time";
import { FoldedForm, PageHeading, useLocale } from "~/components/page-parts";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "allianceActivities");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { db, actor } = context;
  return {
    /** The activity whose change and cancel forms are open (?manage=id). */
    manage: Number(new URL(request.url).searchParams.get("manage")) || null,
    activities: await listActivities(db, actor, clockNow()),
    myBusinesses: await myMemberBusinesses(db, actor),
    mayManage: can(actor, { action: "alliance.manageActivities" }),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const form = Object.fromEntries(await request.formData());
  if (form.intent === "signUp") {
    const parsed = signupSchema.extend({ activityId: idParam }).safeParse(form);
    if (!parsed.success) return invalidForm();
    return attempt(() => signUp(context.db, user, parsed.data.activityId, parsed.data.businessId, clockNow()));
  }
  if (form.intent === "withdraw") {
    const parsed = signupSchema.extend({ activityId: z.coerce.number().int().positive() }).safeParse(form);
    if (!parsed.success) return invalidForm();
    return attempt(() => withdrawSignUp(context.db, user, parsed.data.activityId, parsed.data.businessId, clockNow()));
  }
  if (form.intent === "edit") {
    const parsed = activityEditSchema.safeParse({ ...form, capacity: form.capacity || undefined });
    if (!parsed.success) return invalidForm(parsed.error.issues[0]?.message);
    const { activityId, ...input } = parsed.data;
    return attempt(() => editActivity(context.db, user, activityId, input, clockNow()));
  }
  if (form.intent === "cancel") {
    return attemptParsed(form, activityCancelSchema, (v) =>
      cancelActivity(context.db, user, v.activityId, v.reason, clockNow()),
    );
  }
  const parsed = activitySchema.safeParse({ ...form, capacity: form.capacity || undefined });
  if (!parsed.success) return invalidForm(parsed.error.issues[0]?.message);
  return attempt(() => createActivity(context.db, user, parsed.data));
}

export default function Activities() {
  const { activities, myBusinesses, mayManage, manage } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <section className="stack alliance">
      <PageHeading title={t("alliance.activities")} back={{ to: "/alliance", label: t("alliance.title") }} />
      <Outcome result={actionData} okText={t("admin.done")} />
      {activities.length === 0 ? <p className="muted">{t("alliance.activity.none")}</p> : null}
      <ul className="post-list" data-testid="activities">
        {activities.map((a) => {
          const open = myBusinesses.filter((b) => !a.mySignedUp.includes(b.id));
          return (
            <li key={a.id} className="post" id={`activity-${a.id}`} data-activity-id={a.id}>
              <h2 className="post__title">
                {a.title}{" "}
                {a.cancelledAt ? <span className="badge badge--bad">{t("alliance.activity.cancelBadge")}</span> : null}
              </h2>
              {a.cancelledAt ? (
                <p className="form-errors" data-testid="activity-cancelled">
                  {t("alliance.activity.cancelled", { reason: a.cancelReason })}
                </p>
              ) : a.editReason ? (
                <p className="muted" data-testid="activity-edited">
                  {t("alliance.activity.edited", { reason: a.editReason })}
                </p>
              ) : null}
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
              {a.upcoming
                ? myBusinesses
                    .filter((b) => a.mySignedUp.includes(b.id))
                    .map((b) => (
                      <Form method="post" key={b.id}>
                        <input type="hidden" name="activityId" value={a.id} />
                        <input type="hidden" name="businessId" value={b.id} />
                        <button type="submit" name="intent" value="withdraw" className="button button--small">
                          {myBusinesses.length > 1
                            ? t("alliance.activity.withdrawFor", { name: b.name })
                            : t("alliance.activity.withdraw")}
                        </button>
                      </Form>
                    ))
                : null}
              {mayManage && a.upcoming ? (
                manage === a.id ? (
                  <ManageActivity activity={a} />
                ) : (
                  <p>
                    <Link to={`?manage=${a.id}#activity-${a.id}`} className="button button--small">
                      {t("alliance.activity.manage")}
                    </Link>
                  </p>
                )
              ) : null}
              {open.length > 0 && !a.cancelledAt ? (
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
                  <SubmitButton intent="signUp" label={t("alliance.activity.signUp")} />
                </Form>
              ) : null}
            </li>
          );
        })}
      </ul>
      {mayManage ? (
        <FoldedForm summary={t("alliance.activity.create")}>
          <ActivityFields idPrefix="activity" bodyRows={4} />
          <SubmitButton intent="create" primary label={t("alliance.activity.create")} />
        </FoldedForm>
      ) : null}
    </section>
  );
}

type ListedActivity = ReturnType<typeof useLoaderData<typeof loader>>["activities"][number];

/** An officer's change and cancel forms for an activity that has not started; both take a reason. */
function ManageActivity({ activity: a }: { activity: ListedActivity }) {
  const { t } = useTranslation();
  const f = (name: string) => `activity-${a.id}-${name}`;
  return (
    <div className="stack">
      <FoldedForm summary={t("alliance.activity.edit")}>
        <input type="hidden" name="activityId" value={a.id} />
        <ActivityFields idPrefix={`activity-${a.id}`} bodyRows={3} activity={a} />
        <ReasonField id={f("edit-reason")} label={t("alliance.activity.reason")} />
        <SubmitButton intent="edit" label={t("alliance.activity.saveEdit")} />
      </FoldedForm>
      <FoldedForm summary={t("alliance.activity.cancel")}>
        <input type="hidden" name="activityId" value={a.id} />
        <ReasonField id={f("cancel-reason")} label={t("alliance.activity.reason")} />
        <SubmitButton intent="cancel" className="button button--danger" label={t("alliance.activity.confirmCancel")} />
      </FoldedForm>
    </div>
  );
}

/** An activity's one-line text fields: its name and message key, and how long it may be. */
const textFields = [
  { name: "title", label: "alliance.form.title", maxLength: 60 },
  { name: "place", label: "alliance.activity.place", maxLength: 80 },
] as const;

/** The title, place, times, capacity and description of an activity: blank for a new one, else the activity's. */
function ActivityFields({
  idPrefix,
  bodyRows,
  activity: a,
}: {
  idPrefix: string;
  bodyRows: number;
  activity?: ListedActivity;
}) {
  const { t } = useTranslation();
  const f = (name: string) => `${idPrefix}-${name}`;
  return (
    <>
      {textFields.map(({ name, label, maxLength }) => (
        <InputField
          key={name}
          id={f(name)}
          label={t(label)}
          name={name}
          required
          maxLength={maxLength}
          defaultValue={a?.[name]}
        />
      ))}
      {(["startsAt", "endsAt"] as const).map((name) => (
        <InputField
          key={name}
          id={f(name === "startsAt" ? "starts" : "ends")}
          label={t(`alliance.activity.${name}`)}
          name={name}
          type="datetime-local"
          required
          defaultValue={a ? districtInputValue(a[name]) : undefined}
        />
      ))}
      <InputField
        id={f("capacity")}
        label={t("alliance.activity.capacity", { count: "" })}
        name="capacity"
        type="number"
        min={1}
        defaultValue={a ? (a.capacity ?? "") : undefined}
      />
      <TextareaField
        id={f("body")}
        label={t("alliance.activity.body")}
        name="body"
        rows={bodyRows}
        required
        defaultValue={a?.body}
      />
    </>
  );
}
