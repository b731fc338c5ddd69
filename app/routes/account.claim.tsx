import { getFormProps } from "@conform-to/react";
import { pageMeta } from "~/i18n/meta";
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { Field, FormErrors, useZodForm } from "~/components/field";
import { SubmitButton } from "~/components/submit-button";
import { claimBusiness } from "~/domain/accounts/claims.server";
import { claimSchema } from "~/domain/accounts/schemas";
import { conformAction } from "~/lib/forms.server";
import { requireUser } from "~/lib/http.server";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "accountClaim");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(context, request);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireUser(context, request);
  return conformAction(await request.formData(), claimSchema, { claimed: null }, async (value) => {
    const business = await claimBusiness(context.db, context.actor, value.code);
    return { claimed: business.name };
  });
}

export default function Claim() {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useZodForm(claimSchema, {
    lastResult: actionData?.result,
  });
  return (
    <section className="narrow stack">
      <h1>{t("claim.title")}</h1>
      <p>{t("claim.intro")}</p>
      {actionData?.claimed ? (
        <p className="notice-ok" role="status">
          {t("claim.success", { business: actionData.claimed })}
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormErrors id={form.errorId} errors={form.errors} />
        <Field meta={fields.code} label={t("claim.code")} autoComplete="off" autoCapitalize="characters" />
        <SubmitButton className="button button--primary" label={t("claim.submit")} />
      </Form>
    </section>
  );
}
