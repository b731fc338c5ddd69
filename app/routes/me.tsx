import type { MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { Form, Link } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { useRootData } from "~/root";
import { SubmitButton } from "~/components/submit-button";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "me");

/**
 * 我的: on a phone, everything the tab bar has no room for — the account, orders, messages, the
 * desk, administration, signing in or out, and the district's other pages.
 */
export default function Me() {
  const { t } = useTranslation();
  const viewer = useRootData()?.viewer;
  return (
    <section className="stack narrow me">
      <h1>{viewer ? viewer.displayName : t("nav.meTitle")}</h1>
      {viewer ? (
        <ul className="me__list" data-testid="me-mine">
          <li>
            <Link to="/account">{t("nav.meMine")}</Link>
          </li>
          <li>
            <Link to="/orders">{t("nav.orders")}</Link>
          </li>
          <li>
            <Link to="/cases">{t("trust.cases.mine")}</Link>
          </li>
          <li>
            <Link to="/notifications">
              {viewer.unread > 0 ? t("nav.notificationsUnread", { count: viewer.unread }) : t("nav.notifications")}
            </Link>
          </li>
          {viewer.isStaff || viewer.isAdmin ? (
            <li>
              <Link to="/admin">{t("nav.admin")}</Link>
            </li>
          ) : null}
        </ul>
      ) : (
        <div className="stack">
          <p className="muted">{t("nav.meGuest")}</p>
          <div className="me__auth">
            <Link className="button button--primary" to="/login?redirectTo=%2Fme">
              {t("nav.login")}
            </Link>
            <Link className="button" to="/register">
              {t("nav.register")}
            </Link>
          </div>
        </div>
      )}
      <h2>{t("nav.meMore")}</h2>
      <ul className="me__list" data-testid="me-more">
        <li>
          <Link to="/map">{t("nav.map")}</Link>
        </li>
        <li>
          <Link to="/alliance">{t("nav.alliance")}</Link>
        </li>
        <li>
          <Link to={viewer?.isStaff || viewer?.isOfficer ? "/desk" : "/feedback"}>{t("nav.desk")}</Link>
        </li>
        <li>
          <Link to="/plaques">{t("nav.plaques")}</Link>
        </li>
      </ul>
      {viewer ? (
        <Form method="post" action="/logout">
          <SubmitButton label={t("nav.logout")} />
        </Form>
      ) : null}
    </section>
  );
}
