import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { useTranslation } from "~/i18n/react";
import { myBusinesses } from "~/domain/accounts/claims.server";
import { requireUser } from "~/lib/http.server";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "account");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  return {
    displayName: user.displayName,
    phone: user.phone,
    roles: user.roles,
    businesses: await myBusinesses(context.db, user.userId),
  };
}

export default function Account() {
  const { displayName, phone, roles, businesses } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <section className="stack">
      <h1>{displayName}</h1>
      <dl className="facts">
        <dt>{t("account.phone")}</dt>
        <dd>{phone}</dd>
        <dt>{t("account.roles")}</dt>
        <dd data-testid="roles">{[t("account.resident"), ...roles.map((r) => t(`roles.${r}`))].join("、")}</dd>
      </dl>
      <h2>{t("claim.myBusinesses")}</h2>
      {businesses.length === 0 ? <p className="muted">{t("claim.none")}</p> : null}
      <ul data-testid="my-businesses">
        {businesses.map((b) => (
          <li key={b.id}>
            {b.name}{" "}
            <span className="muted">
              ({b.code} · {t(b.role === "owner" ? "claim.owner" : "claim.staff")})
            </span>
          </li>
        ))}
      </ul>
      <Link className="button" to="/account/claim">
        {t("claim.title")}
      </Link>
      <p>
        <Link to="/account/security">{t("security.title")}</Link>
      </p>
    </section>
  );
}
