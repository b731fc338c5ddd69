import type { MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { Form } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { useRootData } from "~/root";
import { SubmitButton } from "~/components/submit-button";
import { ButtonLink, LinkItem } from "~/components/page-parts";

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
          <LinkItem to="/account">{t("nav.meMine")}</LinkItem>
          <LinkItem to="/orders">{t("nav.orders")}</LinkItem>
          <LinkItem to="/cases">{t("trust.cases.mine")}</LinkItem>
          <LinkItem to="/notifications">
            {viewer.unread > 0 ? t("nav.notificationsUnread", { count: viewer.unread }) : t("nav.notifications")}
          </LinkItem>
          {viewer.isStaff || viewer.isAdmin ? <LinkItem to="/admin">{t("nav.admin")}</LinkItem> : null}
        </ul>
      ) : (
        <div className="stack">
          <p className="muted">{t("nav.meGuest")}</p>
          <div className="me__auth">
            <ButtonLink primary to="/login?redirectTo=%2Fme">
              {t("nav.login")}
            </ButtonLink>
            <ButtonLink to="/register">{t("nav.register")}</ButtonLink>
          </div>
        </div>
      )}
      <h2>{t("nav.meMore")}</h2>
      <ul className="me__list" data-testid="me-more">
        <LinkItem to="/map">{t("nav.map")}</LinkItem>
        <LinkItem to="/alliance">{t("nav.alliance")}</LinkItem>
        <LinkItem to={viewer?.isStaff || viewer?.isOfficer ? "/desk" : "/feedback"}>{t("nav.desk")}</LinkItem>
        <LinkItem to="/plaques">{t("nav.plaques")}</LinkItem>
      </ul>
      {viewer ? (
        <Form method="post" action="/logout">
          <SubmitButton label={t("nav.logout")} />
        </Form>
      ) : null}
    </section>
  );
}
