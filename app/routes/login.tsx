import { pageMeta } from "~/i18n/meta";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { ConformForm, Field, PhoneField, useZodForm } from "~/components/field";
import { OnwardLink } from "~/components/page-parts";
import { SubmitButton } from "~/components/submit-button";
import { signIn } from "~/domain/accounts/accounts.server";
import { startSession } from "~/domain/accounts/security.server";
import { clockNow } from "~/lib/clock.server";
import { mergeCookieCart } from "~/domain/market/cart.server";
import { cartCookie, cookieCartLines } from "~/domain/market/cart-cookie.server";
import { loginSchema } from "~/domain/accounts/schemas";
import { replyWithRefusal } from "~/lib/forms.server";
import { safeRedirectTarget } from "~/lib/http.server";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "login");

export async function loader({ context, request }: LoaderFunctionArgs) {
  if (context.actor) throw redirect(safeRedirectTarget(new URL(request.url).searchParams.get("redirectTo")));
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: loginSchema });
  if (submission.status !== "success") return data(submission.reply({ hideFields: ["password"] }), { status: 400 });
  try {
    const now = clockNow();
    const { userId } = await signIn(context.db, submission.value, now, context.clientIp);
    const sessionId = await startSession(context.db, userId, request.headers.get("user-agent"), now);
    // A cart filled before signing in moves into the account; the cookie is cleared.
    const visitorCart = cookieCartLines(request);
    await mergeCookieCart(context.db, userId, visitorCart);
    const headers = new Headers({ "Set-Cookie": context.auth.createSessionCookie(sessionId).serialize() });
    if (visitorCart.length > 0) headers.append("Set-Cookie", cartCookie([], context));
    throw redirect(safeRedirectTarget(submission.value.redirectTo), { headers });
  } catch (error) {
    if (error instanceof Response) throw error;
    return replyWithRefusal(submission, error);
  }
}

export default function Login() {
  const { t } = useTranslation();
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const [form, fields] = useZodForm(loginSchema, {
    lastResult,
  });
  return (
    <section className="narrow">
      <h1>{t("auth.loginTitle")}</h1>
      <ConformForm form={form}>
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? "/"} />
        <PhoneField meta={fields.phone} label={t("auth.phone")} autoComplete="username" />
        <Field meta={fields.password} type="password" label={t("auth.password")} autoComplete="current-password" />
        <SubmitButton primary label={t("auth.loginSubmit")} />
      </ConformForm>
      <OnwardLink to="/reset-password">{t("security.forgotPassword")}</OnwardLink>
      <OnwardLink to="/register">{t("auth.noAccount")}</OnwardLink>
    </section>
  );
}
