import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field, FormErrors } from "~/components/field";
import { CodeSentNotice, SendCodeButton, type CodeSent } from "~/components/sms-code";
import { registerWithCodeSchema, sendCodeSchema } from "~/domain/accounts/schemas";
import { registerWithCode, startSession } from "~/domain/accounts/security.server";
import { sendRegistrationCode } from "~/domain/accounts/sms-codes.server";
import { mergeCookieCart } from "~/domain/market/cart.server";
import { cartCookie, cookieCartLines } from "~/domain/market/cart-cookie.server";
import { clockNow } from "~/lib/clock.server";
import { refusalWithSent } from "~/lib/forms.server";

export const meta: MetaFunction = () => [{ title: "注册 Register · 信圈" }];

export async function loader({ context }: LoaderFunctionArgs) {
  if (context.actor) throw redirect("/");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  if (formData.get("intent") === "send-code") {
    const submission = parseWithZod(formData, { schema: sendCodeSchema });
    if (submission.status !== "success")
      return data({ result: submission.reply({ hideFields: ["password"] }), sent: null }, { status: 400 });
    try {
      await sendRegistrationCode(context.db, context.sms, submission.value.phone, context.clientIp, clockNow());
      const sent: CodeSent = {
        phone: submission.value.phone,
        outbox: context.sms.sender.kind === "outbox" && !context.env.isProduction,
      };
      return { result: submission.reply({ hideFields: ["password"] }), sent };
    } catch (error) {
      return refusalWithSent(submission, error);
    }
  }
  const submission = parseWithZod(formData, { schema: registerWithCodeSchema });
  if (submission.status !== "success")
    return data({ result: submission.reply({ hideFields: ["password"] }), sent: null }, { status: 400 });
  try {
    const now = clockNow();
    const { userId } = await registerWithCode(context.db, submission.value, context.locale, now);
    const sessionId = await startSession(context.db, userId, request.headers.get("user-agent"), now);
    const visitorCart = cookieCartLines(request);
    await mergeCookieCart(context.db, userId, visitorCart);
    const headers = new Headers({ "Set-Cookie": context.auth.createSessionCookie(sessionId).serialize() });
    if (visitorCart.length > 0) headers.append("Set-Cookie", cartCookie([], context));
    throw redirect(visitorCart.length > 0 ? "/cart" : "/", { headers });
  } catch (error) {
    if (error instanceof Response) throw error;
    return refusalWithSent(submission, error);
  }
}

export default function Register() {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    onValidate: ({ formData }) =>
      parseWithZod(formData, {
        schema: formData.get("intent") === "send-code" ? sendCodeSchema : registerWithCodeSchema,
      }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  return (
    <section className="narrow">
      <h1>{t("auth.registerTitle")}</h1>
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormErrors id={form.errorId} errors={form.errors} />
        <Field
          meta={fields.phone}
          type="tel"
          label={t("auth.phone")}
          hint={t("auth.phoneHint")}
          autoComplete="tel"
          inputMode="tel"
        />
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
          meta={fields.displayName}
          label={t("auth.displayName")}
          hint={t("auth.displayNameHint")}
          autoComplete="nickname"
        />
        <Field
          meta={fields.password}
          type="password"
          label={t("auth.password")}
          hint={t("auth.passwordHint")}
          autoComplete="new-password"
        />
        <button type="submit" className="button button--primary">
          {t("auth.registerSubmit")}
        </button>
      </Form>
      <p>
        <Link to="/login">{t("auth.haveAccount")}</Link>
      </p>
    </section>
  );
}
