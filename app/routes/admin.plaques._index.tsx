import { getFormProps } from "@conform-to/react";
import { pageMeta } from "~/i18n/meta";
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { useTranslation } from "~/i18n/react";
import { Field, FormErrors, useZodForm } from "~/components/field";
import { SubmitButton } from "~/components/submit-button";
import { RoundWindows, TextareaField } from "~/components/plaques";
import { SelectField } from "~/components/select-field";
import { assertCan } from "~/domain/accounts/permissions";
import { listRounds, openRound } from "~/domain/badges/selection.server";
import { roundSchema } from "~/domain/badges/schemas";
import { clockNow } from "~/lib/clock.server";
import { conformAction } from "~/lib/forms.server";
import { orErrorPage, requireUser } from "~/lib/http.server";
import { districtDate } from "~/lib/time";
import { plaqueKinds } from "~/domain/vocabularies";
import { Notice } from "~/components/page-parts";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "adminPlaques");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  await orErrorPage(async () => assertCan(user, { action: "plaque.openRound" }));
  const now = clockNow();
  return { rounds: await listRounds(context.db, now), nextYear: Number(districtDate(now).slice(0, 4)) + 1 };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  return conformAction(await request.formData(), roundSchema, { opened: null }, async (value) => {
    const round = await openRound(context.db, user, value, clockNow());
    return { opened: { id: round.id, year: round.year, kind: round.kind } };
  });
}

export default function PlaqueAdmin() {
  const { rounds, nextYear } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const [form, fields] = useZodForm(roundSchema, {
    lastResult: actionData?.result,
    defaultValue: { kind: "recommended", year: String(nextYear) },
  });
  return (
    <section className="stack plaques">
      <h1>{t("plaques.admin.title")}</h1>
      <p>{t("plaques.admin.intro")}</p>
      {actionData?.opened ? (
        <Notice ok>
          <Link to={`/plaques/rounds/${actionData.opened.id}`}>
            {t("plaques.admin.opened", {
              year: actionData.opened.year,
              plaque: t(`plaques.kinds.${actionData.opened.kind}`),
            })}
          </Link>
        </Notice>
      ) : null}
      <h2>{t("plaques.allRounds")}</h2>
      <ul className="round-list" data-testid="admin-rounds">
        {rounds.map((r) => (
          <li key={r.id} className="card stack">
            <p>
              <Link to={`/plaques/rounds/${r.id}`}>
                {t("plaques.roundTitle", { year: r.year, plaque: t(`plaques.kinds.${r.kind}`) })}
              </Link>{" "}
              <span className="badge">{t(`plaques.phase.${r.phase}`)}</span>
            </p>
            <dl className="facts small">
              <RoundWindows round={r} />
            </dl>
            <p className="small">
              {t("plaques.counts.nominations")} {r.nominations} · {t("plaques.counts.undecided")} {r.undecided} ·{" "}
              {t("plaques.counts.awarded")} {r.awarded} · {t("plaques.counts.declined")} {r.declined}
            </p>
          </li>
        ))}
      </ul>
      <Form method="post" {...getFormProps(form)} className="card stack" data-testid="open-round-form">
        <h2>{t("plaques.admin.open")}</h2>
        <FormErrors id={form.errorId} errors={form.errors} />
        <SelectField
          meta={fields.kind}
          label={t("plaques.admin.kind")}
          options={plaqueKinds.map((k) => ({ value: k, label: t(`plaques.kinds.${k}`) }))}
        />
        <Field meta={fields.year} label={t("plaques.admin.year")} type="number" inputMode="numeric" />
        <TextareaField meta={fields.criteria} label={t("plaques.admin.criteria")} rows={4} />
        <Field meta={fields.nominationFrom} label={t("plaques.admin.nominationFrom")} type="date" />
        <Field meta={fields.nominationTo} label={t("plaques.admin.nominationTo")} type="date" />
        <Field meta={fields.reviewFrom} label={t("plaques.admin.reviewFrom")} type="date" />
        <Field meta={fields.reviewTo} label={t("plaques.admin.reviewTo")} type="date" />
        <SubmitButton primary label={t("plaques.admin.submit")} />
      </Form>
    </section>
  );
}
