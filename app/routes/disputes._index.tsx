import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { listDisputes } from "~/domain/disputes/disputes.server";
import { requireUser } from "~/lib/http.server";
import { DisputeList } from "~/components/desk";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  return { disputes: await listDisputes(context.db, user) };
}

export default function MyDisputes() {
  const { disputes } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <section className="stack desk">
      <h1>{t("desk.myDisputes")}</h1>
      <p>
        <Link to="/disputes/new" className="button button--primary">
          {t("desk.fileDispute")}
        </Link>
      </p>
      <DisputeList disputes={disputes} />
    </section>
  );
}
