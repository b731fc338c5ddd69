import { parseWithZod } from "@conform-to/zod/v4";
import { pageMeta } from "~/i18n/meta";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { useTranslation } from "~/i18n/react";
import { RosterBusinessForm } from "~/components/roster-form";
import { isDomainError } from "~/domain/errors";
import { emptyRow } from "~/domain/roster/columns";
import {
  businessRosterRow,
  closeBusiness,
  editBusiness,
  reopenBusiness,
  rosterFormOptions,
} from "~/domain/roster/roster.server";
import { rosterRowSchema } from "~/domain/roster/schemas";
import { orErrorPage, requireUser } from "~/lib/http.server";
import { formatDateTime } from "~/lib/time";
import { useRootData } from "~/root";
import { recordIdOr404 } from "~/lib/page-id.server";
import { SubmitButton } from "~/components/submit-button";
import { Notice } from "~/components/page-parts";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "adminRosterBusiness");

const businessId = (param: string | undefined) => recordIdOr404(param);

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const id = businessId(params.id);
  const [business, options] = await orErrorPage(() =>
    Promise.all([businessRosterRow(context.db, user, id), rosterFormOptions(context.db, user, context.locale)]),
  );
  return { id, business, options, added: new URL(request.url).searchParams.get("added") };
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const id = businessId(params.id);
  const formData = await request.formData();
  if (formData.get("intent") === "close") {
    await orErrorPage(() => closeBusiness(context.db, user, id));
    return { result: undefined, refusal: null, saved: "closed" as const };
  }
  if (formData.get("intent") === "reopen") {
    try {
      await reopenBusiness(context.db, user, id);
      return { result: undefined, refusal: null, saved: "reopened" as const };
    } catch (error) {
      if (!isDomainError(error) || error.status === 403 || error.status === 404)
        return orErrorPage(() => Promise.reject(error));
      return data(
        { result: undefined, refusal: { code: error.code, params: error.params }, saved: null },
        { status: error.status },
      );
    }
  }
  const submission = parseWithZod(formData, { schema: rosterRowSchema });
  if (submission.status !== "success")
    return data({ result: submission.reply(), refusal: null, saved: null }, { status: 400 });
  try {
    const { changed } = await editBusiness(context.db, user, id, { ...emptyRow(), ...submission.value });
    return { result: submission.reply(), refusal: null, saved: changed ? ("saved" as const) : ("unchanged" as const) };
  } catch (error) {
    if (!isDomainError(error) || error.status === 403 || error.status === 404)
      return orErrorPage(() => Promise.reject(error));
    return data(
      { result: submission.reply(), refusal: { code: error.code, params: error.params }, saved: null },
      { status: error.status },
    );
  }
}

export default function EditRosterBusiness() {
  const { id, business, options, added } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const locale = useRootData()?.locale ?? "zh-CN";
  const { row } = business;
  return (
    <section className="narrow stack roster">
      <h1>{t("roster.edit.editTitle", { name: row.name || business.code, code: business.code })}</h1>
      {added ? <Notice>{t("roster.edit.added", { code: added })}</Notice> : null}
      {actionData?.saved === "saved" || actionData?.saved === "unchanged" || actionData?.saved === "reopened" ? (
        <Notice testId="roster-saved">{t(`roster.edit.${actionData.saved}`)}</Notice>
      ) : null}
      <p>
        <Link to={`/shops/${id}`}>{t("roster.edit.view")}</Link>
      </p>
      {business.status === "closed" ? (
        <>
          <p className="notice" role="status" data-testid="roster-closed">
            {t("roster.edit.closedNotice", { at: business.closedAt ? formatDateTime(business.closedAt, locale) : "" })}
          </p>
          <Form method="post" className="stack roster__close">
            {actionData?.refusal ? (
              <div className="form-errors" role="alert">
                <p>{t(actionData.refusal.code, actionData.refusal.params)}</p>
              </div>
            ) : null}
            <p className="muted">{t("roster.edit.reopenHint")}</p>
            <SubmitButton intent="reopen" primary label={t("roster.edit.reopen")} />
          </Form>
        </>
      ) : (
        <>
          <p>{t("roster.edit.intro")}</p>
          <RosterBusinessForm
            defaults={{ ...row, microGrid: "" }}
            microGridHint={row.microGrid ? t("roster.edit.microGridAuto", { code: row.microGrid }) : undefined}
            options={options}
            lastResult={actionData?.result}
            refusal={actionData?.refusal}
            submitLabel={t("roster.edit.save")}
          />
          <Form
            method="post"
            className="stack roster__close"
            onSubmit={(event) => {
              if (!window.confirm(t("roster.edit.closeHint"))) event.preventDefault();
            }}
          >
            <p className="muted">{t("roster.edit.closeHint")}</p>
            <SubmitButton intent="close" label={t("roster.edit.close")} />
          </Form>
        </>
      )}
      <p>
        <Link to="/admin/roster">{t("roster.title")}</Link>
      </p>
    </section>
  );
}
