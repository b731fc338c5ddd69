import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field, FormErrors } from "~/components/field";
import { registerUser } from "~/domain/accounts/accounts.server";
import { registerSchema } from "~/domain/accounts/schemas";
import { mergeCookieCart } from "~/domain/market/cart.server";
import { cartCookie, cookieCartLines } from "~/domain/market/cart-cookie.server";
import { replyWithRefusal } from "~/lib/forms.server";

export const meta: MetaFunction = () => [{ title: "注册 Register · 信圈" }];

export async function loader({ context }: LoaderFunctionArgs) {
  if (context.actor) throw redirect("/");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: registerSchema });
  if (submission.status !== "success") return data(submission.reply({ hideFields: ["password"] }), { status: 400 });
  try {
    const { userId } = await registerUser(context.db, submission.value, context.locale);
    const session = await context.auth.createSession(userId, {});
    const visitorCart = cookieCartLines(request);
    await mergeCookieCart(context.db, userId, visitorCart);
    const headers = new Headers({ "Set-Cookie": context.auth.createSessionCookie(session.id).serialize() });
    if (visitorCart.length > 0) headers.append("Set-Cookie", cartCookie([], context));
    throw redirect(visitorCart.length > 0 ? "/cart" : "/", { headers });
  } catch (error) {
    if (error instanceof Response) throw error;
    return replyWithRefusal(submission, error);
  }
}

export default function Register() {
  const { t } = useTranslation();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm({
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: registerSchema }),
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
