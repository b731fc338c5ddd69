import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field, FormErrors } from "~/components/field";
import { CodeSentNotice, SendCodeButton, type CodeSent } from "~/components/sms-code";
import { resetPasswordSchema, sendCodeSchema } from "~/domain/accounts/schemas";
import { resetPasswordWithCode, startSession } from "~/domain/accounts/security.server";
import { sendResetCode } from "~/domain/accounts/sms-codes.server";
import { clockNow } from "~/lib/clock.server";
import { refusalWithSent } from "~/lib/forms.server";

export const meta: MetaFunction = () => [{ title: "找回密码 Reset password · 信圈" }];

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  if (formData.get("intent") === "send-code") {
    const submission = parseWithZod(formData, { schema: sendCodeSchema });
    if (submission.status !== "success")
      return data({ result: submission.reply({ hideFields: ["password"] }), sent: null }, { status: 400 });
    try {
      await sendResetCode(context.db, context.sms, submission.value.phone, context.clientIp, clockNow());
      const sent: CodeSent = {
        phone: submission.value.phone,
        outbox: context.sms.sender.kind === "outbox" && !context.env.isProduction,
      };
      return { result: submission.reply({ hideFields: ["password"] }), sent };
    } catch (error) {
      return refusalWithSent(submission, error);
    }
  }
  const submission = parseWithZod(formData, { schema: resetPasswordSchema });
  if (submission.status !== "success")
    return data({ result: submission.reply({ hideFields: ["password"] }), sent: null }, { status: 400 });
  try {
    const now = clockNow();
    const { userId } = await resetPasswordWithCode(context.db, submission.value, now);
    // Every session of the account ended (this browser's too, if it had one): start a fresh one.
    const sessionId = await startSession(context.db, userId, request.headers.get("user-agent"), now);
    throw redirect("/account/security?done=reset", {
      headers: { "Set-Cookie": context.auth.createSessionCookie(sessionId).serialize() },
    });
  } catch (error) {
    if (error instanceof Response) throw error;
    return refusalWithSent(submission, error);
  }
}

export default function ResetPassword() {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    onValidate: ({ formData }) =>
      parseWithZod(formData, {
        schema: formData.get("intent") === "send-code" ? sendCodeSchema : resetPasswordSchema,
      }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  return (
    <section className="narrow">
      <h1>{t("security.resetTitle")}</h1>
      <p className="muted">{t("security.resetIntro")}</p>
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormErrors id={form.errorId} errors={form.errors} />
        <Field meta={fields.phone} type="tel" label={t("auth.phone")} autoComplete="username" inputMode="tel" />
        <SendCodeButton />
        <CodeSentNotice sent={actionData?.sent} />
        <Field
          meta={fields.code}
          label={t("security.code")}
          hint={t("security.codeHint")}
          autoComplete="one-time-code"
          inputMode="numeric"
        />
        <Field
          meta={fields.password}
          type="password"
          label={t("security.newPassword")}
          hint={t("auth.passwordHint")}
          autoComplete="new-password"
        />
        <button type="submit" className="button button--primary">
          {t("security.resetSubmit")}
        </button>
      </Form>
      <p>
        <Link to="/login">{t("auth.haveAccount")}</Link>
      </p>
    </section>
  );
}
