import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { InputField } from "~/components/field";
import { SubmitButton } from "~/components/submit-button";
import { Outcome } from "~/components/alliance";
import { can } from "~/domain/accounts/permissions";
import { createElection, listElections } from "~/domain/alliance/elections.server";
import { getAllianceSettings, updateAllianceSettings } from "~/domain/alliance/members.server";
import { electionSchema, settingsSchema } from "~/domain/alliance/schemas";
import { clockNow } from "~/lib/clock.server";
import { requireUser } from "~/lib/http.server";
import { attempt, attemptParsed, invalidForm } from "~/lib/refusal.server";
import { formatDateTime } from "~/lib/time";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "allianceElections");

export async function loader({ context }: LoaderFunctionArgs) {
  return {
    elections: await listElections(context.db, clockNow()),
    mayManage: can(context.actor, { action: "alliance.manageElections" }),
    settings: await getAllianceSettings(context.db),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const form = Object.fromEntries(await request.formData());
  if (form.intent === "settings") {
    return attemptParsed(form, settingsSchema, (v) => updateAllianceSettings(context.db, user, v, clockNow()));
  }
  const parsed = electionSchema.safeParse(form);
  if (!parsed.success) return invalidForm(parsed.error.issues[0]?.message);
  const result = await attempt(() => createElection(context.db, user, parsed.data));
  if ("ok" in result && result.ok) return redirect(`/alliance/elections/${result.value.id}`);
  return result;
}

export default function Elections() {
  const { elections, mayManage, settings } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language as "zh-CN" | "en";
  return (
    <section className="stack alliance">
      <p>
        <Link to="/alliance">← {t("alliance.title")}</Link>
      </p>
      <h1>{t("alliance.elections")}</h1>
      <p className="muted" data-testid="alliance-rules">
        {t("alliance.election.turnoutRule", { percent: settings.electionQuorumPercent })}{" "}
        {t("alliance.proposal.discussionRule", { hours: settings.minDiscussionHours })}
      </p>
      <ul className="post-list">
        {elections.map((e) => (
          <li key={e.id} className="post">
            <Link to={`/alliance/elections/${e.id}`} className="post__title">
              {e.term}
            </Link>{" "}
            <span className="badge">{t(`alliance.election.phase.${e.phase}`)}</span>
            <p className="muted">
              {t("alliance.election.votingClosesAt")}: {formatDateTime(e.votingClosesAt, locale)}
            </p>
          </li>
        ))}
      </ul>
      {mayManage ? (
        <details className="card">
          <summary>{t("alliance.election.settings")}</summary>
          <Form method="post" className="stack">
            <InputField
              id="minDiscussionHours"
              label={t("alliance.election.minDiscussionHours")}
              name="minDiscussionHours"
              type="number"
              min={0}
              max={720}
              required
              defaultValue={settings.minDiscussionHours}
            />
            <InputField
              id="electionQuorumPercent"
              label={t("alliance.election.electionQuorumPercent")}
              name="electionQuorumPercent"
              type="number"
              min={1}
              max={100}
              required
              defaultValue={settings.electionQuorumPercent}
            />
            <SubmitButton
              intent="settings"
              className="button button--primary"
              label={t("alliance.election.saveSettings")}
            />
          </Form>
        </details>
      ) : null}
      {mayManage ? (
        <details className="card">
          <summary>{t("alliance.election.create")}</summary>
          <Form method="post" className="stack">
            <Outcome result={actionData && "ok" in actionData ? actionData : null} />
            <InputField id="term" label={t("alliance.election.term")} name="term" required maxLength={40} />
            {(["nominationOpensAt", "nominationClosesAt", "votingOpensAt", "votingClosesAt"] as const).map((name) => (
              <div className="field" key={name}>
                <label htmlFor={name}>{t(`alliance.election.${name}`)}</label>
                <input id={name} name={name} type="datetime-local" required />
              </div>
            ))}
            <SubmitButton className="button button--primary" label={t("alliance.election.create")} />
          </Form>
        </details>
      ) : null}
    </section>
  );
}
