import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { useActionData } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { Field } from "~/components/field";
import { CodeFormPage, useCodeForm } from "~/components/sms-code";
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
    <CodeFormPage
      title={t("security.phoneTitle")}
      intro={t("security.phoneIntro")}
      form={form}
      fields={fields}
      sent={actionData?.sent}
      phone={{ label: t("security.newPhone"), autoComplete: "tel" }}
      submitLabel={t("security.phoneSubmit")}
      onward={{ to: "/account/security", label: t("security.title") }}
    >
      <Field meta={fields.password} type="password" label={t("auth.password")} autoComplete="current-password" />
    </CodeFormPage>
  );
}
