import { parseWithZod } from "@conform-to/zod/v4";
import { pageMeta } from "~/i18n/meta";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { useTranslation } from "~/i18n/react";
import { RosterBusinessForm } from "~/components/roster-form";
import { isDomainError } from "~/domain/errors";
import { emptyRow } from "~/domain/roster/columns";
import { addBusiness, rosterFormOptions } from "~/domain/roster/roster.server";
import { rosterRowSchema } from "~/domain/roster/schemas";
import { orErrorPage, requireUser } from "~/lib/http.server";
import { PageSection } from "~/components/page-parts";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "adminRosterNew");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  return { options: await orErrorPage(() => rosterFormOptions(context.db, user, context.locale)) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const submission = parseWithZod(await request.formData(), { schema: rosterRowSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), refusal: null }, { status: 400 });
  try {
    const { id, code } = await addBusiness(context.db, user, { ...emptyRow(), ...submission.value });
    return redirect(`/admin/roster/${id}?added=${code}`);
  } catch (error) {
    if (!isDomainError(error) || error.status === 403) return orErrorPage(() => Promise.reject(error));
    return data(
      { result: submission.reply(), refusal: { code: error.code, params: error.params } },
      { status: error.status },
    );
  }
}

export default function AddBusiness() {
  const { options } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <PageSection className="narrow stack roster" title={t("roster.edit.addTitle")} intro={t("roster.edit.intro")}>
      <RosterBusinessForm
        defaults={{ kind: "门店", night: "否" }}
        options={options}
        lastResult={actionData?.result}
        refusal={actionData?.refusal}
        submitLabel={t("roster.edit.save")}
      />
      <p>
        <Link to="/admin/roster">{t("roster.title")}</Link>
      </p>
    </PageSection>
  );
}
