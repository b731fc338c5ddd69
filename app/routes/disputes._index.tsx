import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { useTranslation } from "~/i18n/react";
import { disputeListScope, listDisputes } from "~/domain/disputes/disputes.server";
import { requireUser } from "~/lib/http.server";
import { DisputeList } from "~/components/desk";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "disputes");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  return { disputes: await listDisputes(context.db, user), scope: disputeListScope(user) };
}

export default function MyDisputes() {
  const { disputes, scope } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <section className="stack desk">
      <h1>{scope === "all" ? t("desk.allDisputes") : t("desk.myDisputes")}</h1>
      {scope === "all" ? <p className="muted">{t("desk.allDisputesHint")}</p> : null}
      <p>
        <Link to="/disputes/new" className="button button--primary">
          {t("desk.fileDispute")}
        </Link>
      </p>
      <DisputeList disputes={disputes} />
    </section>
  );
}
