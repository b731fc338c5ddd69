import { pageMeta } from "~/i18n/meta";
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { ConformForm, Field, useZodForm } from "~/components/field";
import { SubmitButton } from "~/components/submit-button";
import { assertCan } from "~/domain/accounts/permissions";
import { setWeeklyQuota } from "~/domain/studio/bookings.server";
import { quotaSchema } from "~/domain/studio/schemas";
import { DEFAULT_WEEKLY_MINUTES } from "~/domain/studio/slots";
import { conformAction } from "~/lib/forms.server";
import { orErrorPage, requireUser } from "~/lib/http.server";
import { Notice, PageSection } from "~/components/page-parts";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "adminStudioQuotas");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  await orErrorPage(async () => assertCan(user, { action: "studio.setQuota" }));
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  return conformAction(await request.formData(), quotaSchema, { saved: null }, async (value) => {
    const { business, weeklyMinutes } = await setWeeklyQuota(context.db, user, value.businessCode, Number(value.hours));
    return { saved: { business: business.name, hours: weeklyMinutes / 60 } };
  });
}

export default function StudioQuotas() {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useZodForm(quotaSchema, {
    lastResult: actionData?.result,
  });
  return (
    <PageSection
      className="narrow stack"
      title={t("studio.quota.title")}
      intro={t("studio.quota.intro", { hours: DEFAULT_WEEKLY_MINUTES / 60 })}
    >
      {actionData?.saved ? <Notice>{t("studio.quota.saved", actionData.saved)}</Notice> : null}
      <ConformForm form={form}>
        <Field meta={fields.businessCode} label={t("studio.quota.businessCode")} autoComplete="off" />
        <Field meta={fields.hours} label={t("studio.quota.hours")} type="number" step="0.5" min="0" max="168" />
        <SubmitButton primary label={t("studio.quota.submit")} />
      </ConformForm>
    </PageSection>
  );
}
