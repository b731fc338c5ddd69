import { pageMeta } from "~/i18n/meta";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Link } from "~/components/link";
import { useTranslation } from "~/i18n/react";
import { ConformForm, Field, useZodForm, NewPasswordField } from "~/components/field";
import { Notice } from "~/components/page-parts";
import { SubmitButton } from "~/components/submit-button";
import { changePasswordSchema } from "~/domain/accounts/schemas";
import { changePassword, endOtherSessions, endSession, listMySessions } from "~/domain/accounts/security.server";
import { isPhoneVerified } from "~/domain/accounts/accounts.server";
import { clockNow } from "~/lib/clock.server";
import { replyWithRefusal } from "~/lib/forms.server";
import { orErrorPage, requireUser } from "~/lib/http.server";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "accountSecurity");

const shanghai = (d: Date) =>
  d.toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hourCycle: "h23", dateStyle: "short", timeStyle: "short" });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const sessions = await listMySessions(context.db, user, context.sessionId, clockNow());
  return {
    phone: user.phone,
    verified: await isPhoneVerified(context.db, user.userId),
    sessions: sessions.map((s) => ({
      handle: s.handle,
      userAgent: s.userAgent,
      current: s.current,
      createdAt: shanghai(s.createdAt),
      lastSeenAt: shanghai(s.lastSeenAt),
    })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const formData = await request.formData();
  const intent = formData.get("intent");
  if (intent === "end-others") {
    const count = await orErrorPage(() => endOtherSessions(context.db, user, context.sessionId));
    throw redirect(`/account/security?done=others&count=${count}`);
  }
  if (intent === "end-session") {
    await orErrorPage(() => endSession(context.db, user, String(formData.get("handle") ?? "")));
    throw redirect("/account/security?done=session");
  }
  const submission = parseWithZod(formData, { schema: changePasswordSchema });
  if (submission.status !== "success")
    return data(submission.reply({ hideFields: ["currentPassword", "password"] }), { status: 400 });
  try {
    await changePassword(context.db, user, context.sessionId, submission.value);
    throw redirect("/account/security?done=password");
  } catch (error) {
    if (error instanceof Response) throw error;
    return replyWithRefusal(submission, error);
  }
}

/** A short name for a browser from its User-Agent ("Chrome · Android"). */
function deviceName(userAgent: string | null): string | null {
  if (!userAgent) return null;
  const browser = /Edg\//.test(userAgent)
    ? "Edge"
    : /MicroMessenger/.test(userAgent)
      ? "WeChat"
      : /HeadlessChrome|Chrome\//.test(userAgent)
        ? "Chrome"
        : /Firefox\//.test(userAgent)
          ? "Firefox"
          : /Safari\//.test(userAgent)
            ? "Safari"
            : null;
  const system = /Android/.test(userAgent)
    ? "Android"
    : /iPhone|iPad/.test(userAgent)
      ? "iOS"
      : /Windows/.test(userAgent)
        ? "Windows"
        : /Mac OS X/.test(userAgent)
          ? "macOS"
          : /Linux/.test(userAgent)
            ? "Linux"
            : null;
  return [browser, system].filter(Boolean).join(" · ") || userAgent.slice(0, 60);
}

export default function AccountSecurity() {
  const { phone, verified, sessions } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const done = searchParams.get("done");
  const { t } = useTranslation();
  const [form, fields] = useZodForm(changePasswordSchema, {
    lastResult,
  });
  return (
    <section className="stack">
      <h1>{t("security.title")}</h1>
      {done === "password" ? <Notice>{t("security.passwordChanged")}</Notice> : null}
      {done === "reset" ? <Notice>{t("security.passwordReset")}</Notice> : null}
      {done === "others" ? (
        <Notice>{t("security.othersEnded", { count: Number(searchParams.get("count") ?? 0) })}</Notice>
      ) : null}
      {done === "session" ? <Notice>{t("security.sessionEnded")}</Notice> : null}
      <dl className="facts">
        <dt>{t("account.phone")}</dt>
        <dd data-testid="phone">
          {phone} ({verified ? t("security.phoneVerified") : t("security.phoneUnverified")})
        </dd>
      </dl>
      <p>
        <Link to="/account/phone">{t("security.changePhoneLink")}</Link>
      </p>

      <h2>{t("security.sessionsTitle")}</h2>
      <p className="muted">{t("security.sessionsIntro")}</p>
      <ul className="notice-list" data-testid="sessions">
        {sessions.map((s) => (
          <li key={s.handle} className="notice" data-current={s.current ? "yes" : "no"}>
            <strong>{deviceName(s.userAgent) ?? t("security.unknownDevice")}</strong>
            {s.current ? ` · ${t("security.thisDevice")}` : null}
            <br />
            <span className="muted">
              {t("security.signedInAt", { at: s.createdAt })} · {t("security.lastSeen", { at: s.lastSeenAt })}
            </span>
            {s.current ? null : (
              <Form method="post">
                <input type="hidden" name="intent" value="end-session" />
                <input type="hidden" name="handle" value={s.handle} />
                <SubmitButton label={t("security.endSession")} />
              </Form>
            )}
          </li>
        ))}
      </ul>
      {sessions.length > 1 ? (
        <Form method="post">
          <input type="hidden" name="intent" value="end-others" />
          <SubmitButton label={t("security.endOthers")} />
        </Form>
      ) : null}

      <h2>{t("security.changePasswordTitle")}</h2>
      <ConformForm form={form} className="stack narrow">
        <Field
          meta={fields.currentPassword}
          type="password"
          label={t("security.currentPassword")}
          autoComplete="current-password"
        />
        <NewPasswordField meta={fields.password} label={t("security.newPassword")} />
        <SubmitButton primary label={t("security.changePasswordSubmit")} />
      </ConformForm>
    </section>
  );
}
