import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { assertCan } from "~/domain/accounts/permissions";
import { orErrorPage, requireUser } from "~/lib/http.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  await orErrorPage(async () => assertCan(user, { action: "admin.enter" }));
  return null;
}

export default function Admin() {
  const { t } = useTranslation();
  return (
    <section className="stack">
      <h1>{t("admin.title")}</h1>
      <ul className="link-list">
        <li>
          <Link to="/admin/claim-codes">{t("admin.claimCodes")}</Link>
        </li>
        <li>
          <Link to="/admin/roles">{t("admin.roles")}</Link>
        </li>
        <li>
          <Link to="/admin/studio-quotas">{t("studio.quota.title")}</Link>
        </li>
        <li>
          <Link to="/admin/audit">{t("admin.audit")}</Link>
        </li>
        <li>
          <Link to="/admin/roster">{t("roster.title")}</Link>
        </li>
        <li>
          <Link to="/admin/grids">{t("roster.grids.title")}</Link>
        </li>
        <li>
          <Link to="/admin/plaques">{t("plaques.admin.title")}</Link>
        </li>
        <li>
          <Link to="/admin/market">{t("market.admin.title")}</Link>
        </li>
      </ul>
    </section>
  );
}
