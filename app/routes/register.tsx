import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { useActionData } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { Field, NewPasswordField } from "~/components/field";
import { CodeFormPage, useCodeForm } from "~/components/sms-code";
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
    <CodeFormPage
      title={t("auth.registerTitle")}
      form={form}
      fields={fields}
      sent={actionData?.sent}
      phone={{ label: t("auth.phone"), hint: t("auth.phoneHint"), autoComplete: "tel" }}
      submitLabel={t("auth.registerSubmit")}
      onward={{ to: "/login", label: t("auth.haveAccount") }}
    >
      <Field
        meta={fields.displayName}
        label={t("auth.displayName")}
        hint={t("auth.displayNameHint")}
        autoComplete="nickname"
      />
      <NewPasswordField meta={fields.password} label={t("auth.password")} />
    </CodeFormPage>
  );
}
