import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { useActionData } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { ConformForm, Field, NewPasswordField, PhoneField } from "~/components/field";
import { OnwardLink } from "~/components/page-parts";
import { SubmitButton } from "~/components/submit-button";
import { CodeStep, useCodeForm } from "~/components/sms-code";
import { registerWithCodeSchema, sendCodeSchema } from "~/domain/accounts/schemas";
import { registerWithCode, startSession } from "~/domain/accounts/security.server";
import { sendRegistrationCode } from "~/domain/accounts/sms-codes.server";
import { mergeCookieCart } from "~/domain/market/cart.server";
import { cartCookie, cookieCartLines } from "~/domain/market/cart-cookie.server";
import { clockNow } from "~/lib/clock.server";
import { codeFormAction } from "~/lib/forms.server";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "register");

export async function loader({ context }: LoaderFunctionArgs) {
  if (context.actor) throw redirect("/");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  return codeFormAction(await request.formData(), context, {
    sendSchema: sendCodeSchema,
    schema: registerWithCodeSchema,
    send: (phone) => sendRegistrationCode(context.db, context.sms, phone, context.clientIp, clockNow()),
    submit: async (value) => {
      const now = clockNow();
      const { userId } = await registerWithCode(context.db, value, context.locale, now);
      const sessionId = await startSession(context.db, userId, request.headers.get("user-agent"), now);
      const visitorCart = cookieCartLines(request);
      await mergeCookieCart(context.db, userId, visitorCart);
      const headers = new Headers({ "Set-Cookie": context.auth.createSessionCookie(sessionId).serialize() });
      if (visitorCart.length > 0) headers.append("Set-Cookie", cartCookie([], context));
      throw redirect(visitorCart.length > 0 ? "/cart" : "/", { headers });
    },
  });
}

export default function Register() {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useCodeForm(sendCodeSchema, registerWithCodeSchema, actionData?.result);
  return (
    <section className="narrow">
      <h1>{t("auth.registerTitle")}</h1>
      <ConformForm form={form}>
        <PhoneField meta={fields.phone} label={t("auth.phone")} hint={t("auth.phoneHint")} autoComplete="tel" />
        <CodeStep code={fields.code} sent={actionData?.sent} />
        <Field
          meta={fields.displayName}
          label={t("auth.displayName")}
          hint={t("auth.displayNameHint")}
          autoComplete="nickname"
        />
        <NewPasswordField meta={fields.password} label={t("auth.password")} />
        <SubmitButton className="button button--primary" label={t("auth.registerSubmit")} />
      </ConformForm>
      <OnwardLink to="/login">{t("auth.haveAccount")}</OnwardLink>
    </section>
  );
}
