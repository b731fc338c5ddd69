import { redirect, type ActionFunctionArgs, type MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { useActionData } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { NewPasswordField } from "~/components/field";
import { CodeFormPage, useCodeForm } from "~/components/sms-code";
import { resetPasswordSchema, sendCodeSchema } from "~/domain/accounts/schemas";
import { resetPasswordWithCode, startSession } from "~/domain/accounts/security.server";
import { sendResetCode } from "~/domain/accounts/sms-codes.server";
import { clockNow } from "~/lib/clock.server";
import { codeFormAction } from "~/lib/forms.server";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "resetPassword");

export async function action({ request, context }: ActionFunctionArgs) {
  return codeFormAction(await request.formData(), context, {
    sendSchema: sendCodeSchema,
    schema: resetPasswordSchema,
    send: (phone) => sendResetCode(context.db, context.sms, phone, context.clientIp, clockNow()),
    submit: async (value) => {
      const now = clockNow();
      const { userId } = await resetPasswordWithCode(context.db, value, now);
      // Every session of the account ended (this browser's too, if it had one): start a fresh one.
      const sessionId = await startSession(context.db, userId, request.headers.get("user-agent"), now);
      throw redirect("/account/security?done=reset", {
        headers: { "Set-Cookie": context.auth.createSessionCookie(sessionId).serialize() },
      });
    },
  });
}

export default function ResetPassword() {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useCodeForm(sendCodeSchema, resetPasswordSchema, actionData?.result);
  return (
    <CodeFormPage
      title={t("security.resetTitle")}
      intro={t("security.resetIntro")}
      form={form}
      fields={fields}
      sent={actionData?.sent}
      phone={{ label: t("auth.phone"), autoComplete: "username" }}
      submitLabel={t("security.resetSubmit")}
      onward={{ to: "/login", label: t("auth.haveAccount") }}
    >
      <NewPasswordField meta={fields.password} label={t("security.newPassword")} />
    </CodeFormPage>
  );
}
