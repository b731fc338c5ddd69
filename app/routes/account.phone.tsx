import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { useActionData } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { ConformForm, Field, PhoneField } from "~/components/field";
import { OnwardLink } from "~/components/page-parts";
import { SubmitButton } from "~/components/submit-button";
import { CodeStep, useCodeForm } from "~/components/sms-code";
import { changePhoneSchema, sendCodeSchema } from "~/domain/accounts/schemas";
import { changePhoneWithCode } from "~/domain/accounts/security.server";
import { sendPhoneChangeCode } from "~/domain/accounts/sms-codes.server";
import { clockNow } from "~/lib/clock.server";
import { codeFormAction } from "~/lib/forms.server";
import { requireUser } from "~/lib/http.server";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "accountPhone");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  return { phone: user.phone };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  return codeFormAction(await request.formData(), context, {
    sendSchema: sendCodeSchema,
    schema: changePhoneSchema,
    send: (phone) => sendPhoneChangeCode(context.db, context.sms, user, phone, context.clientIp, clockNow()),
    submit: async (value) => {
      await changePhoneWithCode(context.db, user, value, clockNow());
      throw redirect("/account");
    },
  });
}

export default function ChangePhone() {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useCodeForm(sendCodeSchema, changePhoneSchema, actionData?.result);
  return (
    <section className="narrow">
      <h1>{t("security.phoneTitle")}</h1>
      <p className="muted">{t("security.phoneIntro")}</p>
      <ConformForm form={form}>
        <PhoneField meta={fields.phone} label={t("security.newPhone")} autoComplete="tel" />
        <CodeStep code={fields.code} sent={actionData?.sent} />
        <Field meta={fields.password} type="password" label={t("auth.password")} autoComplete="current-password" />
        <SubmitButton className="button button--primary" label={t("security.phoneSubmit")} />
      </ConformForm>
      <OnwardLink to="/account/security">{t("security.title")}</OnwardLink>
    </section>
  );
}
