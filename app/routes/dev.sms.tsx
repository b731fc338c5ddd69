import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import type { SmsOutbox } from "~/lib/sms.server";

export const meta: MetaFunction = () => [{ title: "SMS outbox · 信圈" }, { name: "robots", content: "noindex" }];

/** The development SMS outbox: outside production only (there it is a 404, like any unknown page). */
export async function loader({ context }: LoaderFunctionArgs) {
  if (context.env.isProduction) throw new Response("Not Found", { status: 404 });
  const sender = context.sms.sender;
  const messages =
    // Not `instanceof`: server.ts and the route build each have their own copy of the class.
    sender.kind === "outbox"
      ? (sender as SmsOutbox).list().map((m) => ({
          phone: m.phone,
          code: m.code,
          purpose: m.purpose,
          at: m.at.toISOString(),
          // Formatted here, so the browser's clock and locale data cannot make the page differ.
          time: m.at.toLocaleTimeString("en-GB", { timeZone: "Asia/Shanghai" }),
        }))
      : null;
  return { messages };
}

export default function DevSms() {
  const { messages } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <section className="stack">
      <h1>{t("security.devOutboxTitle")}</h1>
      <p className="muted">{t("security.devOutboxIntro")}</p>
      {messages === null ? <p>{t("security.devOutboxProvider")}</p> : null}
      {messages?.length === 0 ? <p>{t("security.devOutboxEmpty")}</p> : null}
      <ul className="notice-list" data-testid="sms-outbox">
        {messages?.map((m) => (
          <li key={`${m.at}-${m.phone}`} className="notice" data-phone={m.phone}>
            <strong data-testid="sms-code">{m.code}</strong> · {m.phone} ·{" "}
            {t(`security.purposes.${m.purpose}`, { defaultValue: m.purpose })} · <time dateTime={m.at}>{m.time}</time>
          </li>
        ))}
      </ul>
    </section>
  );
}
