import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field, FormErrors } from "~/components/field";
import { CodeSentNotice, SendCodeButton, type CodeSent } from "~/components/sms-code";
import { changePhoneSchema, sendCodeSchema } from "~/domain/accounts/schemas";
import { changePhoneWithCode } from "~/domain/accounts/security.server";
import { sendPhoneChangeCode } from "~/domain/accounts/sms-codes.server";
import { clockNow } from "~/lib/clock.server";
import { refusalWithSent } from "~/lib/forms.server";
import { requireUser } from "~/lib/http.server";

export const meta: MetaFunction = () => [{ title: "更换手机号 Change number · 信圈" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  return { phone: user.phone };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const formData = await request.formData();
  if (formData.get("intent") === "send-code") {
    const submission = parseWithZod(formData, { schema: sendCodeSchema });
    if (submission.status !== "success")
      return data({ result: submission.reply({ hideFields: ["password"] }), sent: null }, { status: 400 });
    try {
      await sendPhoneChangeCode(context.db, context.sms, user, submission.value.phone, context.clientIp, clockNow());
      const sent: CodeSent = {
        phone: submission.value.phone,
        outbox: context.sms.sender.kind === "outbox" && !context.env.isProduction,
      };
      return { result: submission.reply({ hideFields: ["password"] }), sent };
    } catch (error) {
      return refusalWithSent(submission, error);
    }
  }
  const submission = parseWithZod(formData, { schema: changePhoneSchema });
  if (submission.status !== "success")
    return data({ result: submission.reply({ hideFields: ["password"] }), sent: null }, { status: 400 });
  try {
    await changePhoneWithCode(context.db, user, submission.value, clockNow());
    throw redirect("/account");
  } catch (error) {
    if (error instanceof Response) throw error;
    return refusalWithSent(submission, error);
  }
}

export default function ChangePhone() {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    onValidate: ({ formData }) =>
      parseWithZod(formData, {
        schema: formData.get("intent") === "send-code" ? sendCodeSchema : changePhoneSchema,
      }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  return (
    <section className="narrow">
      <h1>{t("security.phoneTitle")}</h1>
      <p className="muted">{t("security.phoneIntro")}</p>
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormErrors id={form.errorId} errors={form.errors} />
        <Field meta={fields.phone} type="tel" label={t("security.newPhone")} autoComplete="tel" inputMode="tel" />
        <SendCodeButton />
        <CodeSentNotice sent={actionData?.sent} />
        <Field
          meta={fields.code}
          label={t("security.code")}
          hint={t("security.codeHint")}
          autoComplete="one-time-code"
          inputMode="numeric"
        />
        <Field meta={fields.password} type="password" label={t("auth.password")} autoComplete="current-password" />
        <button type="submit" className="button button--primary">
          {t("security.phoneSubmit")}
        </button>
      </Form>
      <p>
        <Link to="/account/security">{t("security.title")}</Link>
      </p>
    </section>
  );
}
