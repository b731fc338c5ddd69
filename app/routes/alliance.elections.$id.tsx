import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { InputField, TextareaField, SelectField } from "~/components/field";
import { SubmitButton } from "~/components/submit-button";
import { ElectionFields, Outcome, ReasonField } from "~/components/alliance";
import {
  ballotCounted,
  cancelElection,
  castBallot,
  editElection,
  getElection,
  nominate,
  withdrawCandidacy,
} from "~/domain/alliance/elections.server";
import { myMemberBusinesses } from "~/domain/alliance/members.server";
import { ballotSchema, electionEditSchema, nominationSchema, reasonSchema } from "~/domain/alliance/schemas";
import { clockNow } from "~/lib/clock.server";
import { orErrorPage, requireUser } from "~/lib/http.server";
import { attempt, attemptParsed, invalidForm } from "~/lib/refusal.server";
import { idParam } from "~/lib/ids";
import { recordIdOr404 } from "~/lib/page-id.server";
import { formatDateTime } from "~/lib/time";
import { FoldedForm, PageHeading, VocabularySelect, useLocale } from "~/components/page-parts";
import type { ReactNode } from "react";
import { electedOffices } from "~/domain/vocabularies";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "allianceElection");

export async function loader({ params, context }: LoaderFunctionArgs) {
  const id = recordIdOr404(params.id);
  const view = await orErrorPage(() => getElection(context.db, context.actor, id, clockNow()));
  return { ...view, myBusinesses: await myMemberBusinesses(context.db, context.actor) };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const id = idParam.safeParse(params.id);
  if (!id.success) return invalidForm();
  const formData = await request.formData();
  const intent = formData.get("intent");
  if (intent === "check") {
    const receipt = String(formData.get("receipt") ?? "").slice(0, 40);
    return { ok: true as const, value: { counted: await ballotCounted(context.db, id.data, receipt) }, error: null };
  }
  const user = requireUser(context, request);
  if (intent === "nominate") {
    return attemptParsed(Object.fromEntries(formData), nominationSchema, (v) =>
      nominate(context.db, user, id.data, v, clockNow()),
    );
  }
  if (intent === "withdraw") {
    const candidateId = idParam.safeParse(formData.get("candidateId"));
    if (!candidateId.success) return invalidForm();
    return attempt(() => withdrawCandidacy(context.db, user, id.data, candidateId.data, clockNow()));
  }
  if (intent === "edit") {
    return attemptParsed(Object.fromEntries(formData), electionEditSchema, (v) =>
      editElection(context.db, user, id.data, v, clockNow()),
    );
  }
  if (intent === "cancel") {
    return attemptParsed(Object.fromEntries(formData), reasonSchema, (v) =>
      cancelElection(context.db, user, id.data, v.reason, clockNow()),
    );
  }
  if (intent === "blank") {
    const businessId = idParam.safeParse(formData.get("businessId"));
    if (!businessId.success) return invalidForm();
    return attempt(() =>
      castBallot(
        context.db,
        user,
        id.data,
        { businessId: businessId.data, blank: true, vicePresidents: [] },
        clockNow(),
      ),
    );
  }
  const parsed = ballotSchema.safeParse({
    businessId: formData.get("businessId"),
    president: formData.get("president") || undefined,
    vicePresidents: formData.getAll("vicePresidents"),
  });
  if (!parsed.success) return invalidForm(parsed.error.issues[0]?.message);
  return attempt(() => castBallot(context.db, user, id.data, parsed.data, clockNow()));
}

export default function ElectionPage() {
  const { election, phase, candidates, votedBusinessIds, myBusinesses, settings, mayManage } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const locale = useLocale();
  const value =
    actionData && "value" in actionData ? (actionData.value as { receipt?: string; counted?: boolean } | null) : null;
  const notVoted = myBusinesses.filter((b) => !votedBusinessIds.includes(b.id));
  const votesOf = (candidateId: number) =>
    election.results?.tallies.find((x) => x.candidateId === candidateId)?.votes ?? 0;
  const elected = (candidateId: number) =>
    election.results?.winners.some((w) => w.candidateId === candidateId) ?? false;
  return (
    <section className="stack alliance">
      <PageHeading title={election.term} back={{ to: "/alliance/elections", label: t("alliance.elections") }} />
      <p>
        <span className="badge" data-testid="election-phase">
          {t(`alliance.election.phase.${phase}`)}
        </span>
      </p>
      <dl className="facts">
        <dt>{t("alliance.election.nominationClosesAt")}</dt>
        <dd>{formatDateTime(election.nominationClosesAt, locale)}</dd>
        <dt>{t("alliance.election.votingOpensAt")}</dt>
        <dd>{formatDateTime(election.votingOpensAt, locale)}</dd>
        <dt>{t("alliance.election.votingClosesAt")}</dt>
        <dd>{formatDateTime(election.votingClosesAt, locale)}</dd>
      </dl>
      {phase === "cancelled" ? (
        <p className="form-errors" data-testid="election-cancelled">
          {t("alliance.election.cancelledNotice", { reason: election.cancelReason ?? "" })}
        </p>
      ) : (
        <p className="muted" data-testid="election-turnout-rule">
          {election.memberCount != null && election.minTurnout != null
            ? t("alliance.election.electorate", { members: election.memberCount, min: election.minTurnout })
            : t("alliance.election.turnoutRule", { percent: settings.electionQuorumPercent })}
        </p>
      )}
      <Outcome
        result={actionData}
        okText={value?.receipt ? undefined : value?.counted === false ? undefined : t("admin.done")}
      />
      {value?.receipt ? (
        <p className="notice-ok" role="status" data-testid="receipt">
          {t("alliance.election.receipt", { receipt: value.receipt })}
        </p>
      ) : null}
      {value && value.counted !== undefined ? (
        <p className={value.counted ? "notice-ok" : "form-errors"} data-testid="receipt-check">
          {value.counted ? t("alliance.election.counted") : t("alliance.election.notCounted")}
        </p>
      ) : null}

      <h2>{phase === "closed" ? t("alliance.election.results") : t("alliance.election.candidates")}</h2>
      {phase === "closed" && election.results ? (
        <>
          <p data-testid="election-turnout">
            {t("alliance.election.turnout", {
              count: election.results.ballots,
              blank: election.results.blank ?? 0,
              min: election.results.minTurnout ?? 1,
            })}
          </p>
          {election.results.turnoutReached === false ? (
            <p className="form-errors">{t("alliance.election.turnoutNotReached")}</p>
          ) : null}
        </>
      ) : null}
      {candidates.length === 0 ? <p className="muted">{t("alliance.election.noCandidates")}</p> : null}
      {electedOffices.map((office) => (
        <div key={office}>
          <h3>{t(`alliance.election.office.${office}`)}</h3>
          <ul className="post-list" data-testid={`candidates-${office}`}>
            {candidates
              .filter((c) => c.office === office)
              .map((c) => (
                <li key={c.id} className="post">
                  <strong>{c.businessName}</strong> · {c.ownerName}
                  {phase === "closed" ? (
                    <>
                      {" "}
                      · {t("alliance.election.votes", { count: votesOf(c.id) })}
                      {elected(c.id) ? (
                        <span className="badge badge--gold">{t("alliance.election.elected")}</span>
                      ) : null}
                    </>
                  ) : null}
                  <p className="post__body">{c.statement}</p>
                  {c.mine && phase === "nomination" ? (
                    <Form method="post">
                      <input type="hidden" name="candidateId" value={c.id} />
                      <button type="submit" name="intent" value="withdraw" className="button" data-testid="withdraw">
                        {t("alliance.election.withdraw")}
                      </button>
                    </Form>
                  ) : null}
                </li>
              ))}
          </ul>
        </div>
      ))}
      <p className="muted">{t("alliance.election.tieRule")}</p>

      {votedBusinessIds.map((b) => (
        <p key={b} className="muted">
          {t("alliance.election.voted", { business: myBusinesses.find((x) => x.id === b)?.name ?? "" })}
        </p>
      ))}

      {phase === "nomination" && myBusinesses.length > 0 ? (
        <MemberForm
          title={t("alliance.election.nominate")}
          intro={t("alliance.election.oneCandidacy")}
          businesses={myBusinesses}
        >
          <div className="field">
            <label htmlFor="office">
              {t("alliance.election.office.president")} / {t("alliance.election.office.vice_president")}
            </label>
            <VocabularySelect id="office" name="office" values={electedOffices} messages="alliance.election.office" />
          </div>
          <TextareaField id="statement" label={t("alliance.election.statement")} name="statement" rows={4} required />
          <SubmitButton intent="nominate" primary label={t("alliance.election.nominate")} />
        </MemberForm>
      ) : null}

      {phase === "voting" && notVoted.length > 0 ? (
        <MemberForm
          title={t("alliance.election.ballot")}
          intro={t("alliance.election.ballotIntro")}
          businesses={notVoted}
        >
          <fieldset className="field">
            <legend>{t("alliance.election.choosePresident")}</legend>
            <label className="check">
              <input type="radio" name="president" value="" defaultChecked /> {t("alliance.election.none")}
            </label>
            <CandidateChecks candidates={candidates} office="president" type="radio" name="president" />
          </fieldset>
          <fieldset className="field">
            <legend>{t("alliance.election.chooseVicePresidents")}</legend>
            <CandidateChecks candidates={candidates} office="vice_president" type="checkbox" name="vicePresidents" />
          </fieldset>
          <SubmitButton intent="ballot" primary label={t("alliance.election.castBallot")} />
          <p className="muted">{t("alliance.election.blankIntro")}</p>
          <button type="submit" name="intent" value="blank" className="button" formNoValidate>
            {t("alliance.election.blankBallot")}
          </button>
        </MemberForm>
      ) : null}

      {mayManage && phase === "upcoming" ? (
        <FoldedForm summary={t("alliance.election.edit")}>
          <ElectionFields election={election} />
          <ReasonField id="edit-reason" label={t("alliance.election.reason")} />
          <SubmitButton intent="edit" primary label={t("alliance.election.save")} />
        </FoldedForm>
      ) : null}
      {mayManage && (phase === "upcoming" || phase === "nomination" || phase === "between") ? (
        <FoldedForm summary={t("alliance.election.cancel")}>
          <ReasonField id="cancel-reason" label={t("alliance.election.reason")} />
          <SubmitButton intent="cancel" className="button button--danger" label={t("alliance.election.cancel")} />
        </FoldedForm>
      ) : null}

      <Form method="post" className="card stack">
        <h2>{t("alliance.election.checkReceipt")}</h2>
        <InputField
          id="receipt"
          label={t("alliance.election.receiptLabel")}
          name="receipt"
          autoComplete="off"
          required
        />
        <SubmitButton intent="check" label={t("alliance.election.checkReceipt")} />
      </Form>
    </section>
  );
}

/** One ballot choice per candidate for `office`: radio buttons for one pick, check boxes for several. */
function CandidateChecks({
  candidates,
  office,
  type,
  name,
}: {
  candidates: { id: number; office: string; businessName: string }[];
  office: string;
  type: "radio" | "checkbox";
  name: string;
}) {
  return candidates
    .filter((c) => c.office === office)
    .map((c) => (
      <label key={c.id} className="check">
        <input type={type} name={name} value={c.id} /> {c.businessName}
      </label>
    ));
}

/** A member's form in a card: what it is, a line about it, then which of their businesses acts. */
function MemberForm({
  title,
  intro,
  businesses,
  children,
}: {
  title: string;
  intro: string;
  businesses: { id: number; name: string }[];
  children: ReactNode;
}) {
  return (
    <Form method="post" className="card stack">
      <h2>{title}</h2>
      <p className="muted">{intro}</p>
      <BusinessChoice businesses={businesses} />
      {children}
    </Form>
  );
}

function BusinessChoice({ businesses }: { businesses: { id: number; name: string }[] }) {
  const { t } = useTranslation();
  if (businesses.length === 1) return <input type="hidden" name="businessId" value={businesses[0].id} />;
  return (
    <SelectField
      id="businessId"
      name="businessId"
      label={t("alliance.form.actingFor")}
      options={businesses.map((b) => ({ value: String(b.id), label: b.name }))}
    />
  );
}
