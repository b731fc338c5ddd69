import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { Form, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { useTranslation } from "~/i18n/react";
import { listNotifications, markAllRead } from "~/domain/notifications/notifications.server";
import { formatDateTime } from "~/lib/time";
import { requireUser } from "~/lib/http.server";
import { useRootData } from "~/root";
import { SubmitButton } from "~/components/submit-button";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "notifications");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  return { notices: await listNotifications(context.db, user.userId) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  await markAllRead(context.db, user.userId);
  return redirect("/notifications");
}

export default function Notifications() {
  const { notices } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const locale = useRootData()?.locale ?? "zh-CN";
  return (
    <section>
      <h1>{t("notifications.title")}</h1>
      {notices.some((n) => !n.readAt) ? (
        <Form method="post">
          <SubmitButton label={t("notifications.markAllRead")} />
        </Form>
      ) : null}
      {notices.length === 0 ? <p className="muted">{t("notifications.empty")}</p> : null}
      <ul className="notice-list" data-testid="notice-list">
        {notices.map((notice) => {
          const params = { ...notice.params } as Record<string, string | number>;
          if (typeof params.role === "string") params.role = t(`roles.${params.role}`);
          if (typeof params.plaque === "string") params.plaque = t(`plaques.kinds.${params.plaque}`);
          const text = t(`notifications.kinds.${notice.kind}`, params);
          return (
            <li key={notice.id} className={notice.readAt ? "notice" : "notice notice--unread"}>
              {!notice.readAt ? <span className="visually-hidden">{t("notifications.unread")}: </span> : null}
              {notice.link ? <Link to={notice.link}>{text}</Link> : <span>{text}</span>}
              <time className="muted" dateTime={new Date(notice.createdAt).toISOString()}>
                {formatDateTime(notice.createdAt, locale)}
              </time>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
