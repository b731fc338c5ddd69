import { pageMeta } from "~/i18n/meta";
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { ConformForm, Field, useZodForm } from "~/components/field";
import { SubmitButton } from "~/components/submit-button";
import { claimBusiness } from "~/domain/accounts/claims.server";
import { claimSchema } from "~/domain/accounts/schemas";
import { conformAction } from "~/lib/forms.server";
import { requireUser } from "~/lib/http.server";
import { Notice, PageSection } from "~/components/page-parts";

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
    <PageSection className="narrow stack" title={t("claim.title")} intro={t("claim.intro")}>
      {actionData?.claimed ? <Notice>{t("claim.success", { business: actionData.claimed })}</Notice> : null}
      <ConformForm form={form}>
        <Field meta={fields.code} label={t("claim.code")} autoComplete="off" autoCapitalize="characters" />
        <SubmitButton primary label={t("claim.submit")} />
      </ConformForm>
    </PageSection>
  );
}
