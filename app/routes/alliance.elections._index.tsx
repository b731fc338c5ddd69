import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { useTranslation } from "~/i18n/react";
import { InputField } from "~/components/field";
import { SubmitButton } from "~/components/submit-button";
import { ElectionFields, Outcome } from "~/components/alliance";
import { can } from "~/domain/accounts/permissions";
import { createElection, listElections } from "~/domain/alliance/elections.server";
import { getAllianceSettings, updateAllianceSettings } from "~/domain/alliance/members.server";
import { electionSchema, settingsSchema } from "~/domain/alliance/schemas";
import { clockNow } from "~/lib/clock.server";
import { requireUser } from "~/lib/http.server";
import { attempt, attemptParsed, invalidForm } from "~/lib/refusal.server";
import { formatDateTime } from "~/lib/time";
import { FoldedForm, PageHeading, useLocale } from "~/components/page-parts";

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
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <section className="stack alliance">
      <PageHeading title={t("alliance.elections")} back={{ to: "/alliance", label: t("alliance.title") }} />
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
        <FoldedForm summary={t("alliance.election.settings")}>
          <SettingField name="minDiscussionHours" min={0} max={720} value={settings.minDiscussionHours} />
          <SettingField name="electionQuorumPercent" min={1} max={100} value={settings.electionQuorumPercent} />
          <SubmitButton intent="settings" primary label={t("alliance.election.saveSettings")} />
        </FoldedForm>
      ) : null}
      {mayManage ? (
        <FoldedForm summary={t("alliance.election.create")}>
          <Outcome result={actionData && "ok" in actionData ? actionData : null} />
          <ElectionFields />
          <SubmitButton primary label={t("alliance.election.create")} />
        </FoldedForm>
      ) : null}
    </section>
  );
}

/** One of the alliance's voting settings, a whole number in the range settingsSchema accepts. */
type SettingName = "minDiscussionHours" | "electionQuorumPercent";

function SettingField({ name, min, max, value }: { name: SettingName; min: number; max: number; value: number }) {
  const { t } = useTranslation();
  return (
    <InputField
      id={name}
      label={t(`alliance.election.${name}`)}
      name={name}
      type="number"
      min={min}
      max={max}
      required
      defaultValue={value}
    />
  );
}
