import { getFormProps, useForm } from "@conform-to/react";
import { pageMeta } from "~/i18n/meta";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { z } from "zod";
import { Field, FormErrors } from "~/components/field";
import { SubmitButton } from "~/components/submit-button";
import { RowAction } from "~/components/row-action";
import { issueClaimCode, listClaimCodes, revokeClaimCode } from "~/domain/accounts/claims.server";
import { businessCodeSchema } from "~/domain/accounts/schemas";
import { conformAction } from "~/lib/forms.server";
import { orErrorPage, requireUser } from "~/lib/http.server";
import { idParam } from "~/lib/ids";
import { formatDateTime } from "~/lib/time";
import { useRootData } from "~/root";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "adminClaimCodes");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  return { codes: await orErrorPage(() => listClaimCodes(context.db, user)) };
}

const revokeSchema = z.object({
  claimCodeId: idParam,
});

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const formData = await request.formData();
  if (formData.get("intent") === "revoke") {
    const parsed = revokeSchema.safeParse(Object.fromEntries(formData));
    if (!parsed.success) throw data({ code: "errors.invalid" }, { status: 400 });
    await orErrorPage(() => revokeClaimCode(context.db, user, parsed.data.claimCodeId));
    return { result: undefined, issued: null };
  }
  return conformAction(formData, businessCodeSchema, { issued: null }, async (value) => {
    const issued = await issueClaimCode(context.db, user, value.businessCode);
    return { issued: { code: issued.code, business: issued.business.name } };
  });
}

export default function ClaimCodes() {
  const { codes } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const locale = useRootData()?.locale ?? "zh-CN";
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: businessCodeSchema }),
  });
  return (
    <section className="stack">
      <h1>{t("admin.claimCodes")}</h1>
      <p>{t("admin.claimCodesIntro")}</p>
      {actionData?.issued ? (
        <p className="notice-ok" role="status" data-testid="issued-code">
          {actionData.issued.business}: {t("admin.issued", { code: actionData.issued.code })}
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormErrors id={form.errorId} errors={form.errors} />
        <Field
          meta={fields.businessCode}
          label={t("admin.businessCode")}
          hint={t("admin.businessCodeHint")}
          autoComplete="off"
        />
        <SubmitButton intent="issue" className="button button--primary" label={t("admin.issue")} />
      </Form>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t("admin.business")}</th>
              <th scope="col">{t("admin.hint")}</th>
              <th scope="col">{t("admin.issuedAt")}</th>
              <th scope="col">{t("admin.status")}</th>
            </tr>
          </thead>
          <tbody>
            {codes.map((code) => (
              <tr key={code.id}>
                <td>
                  {code.businessName} <span className="muted">{code.businessCode}</span>
                </td>
                <td>…{code.hint}</td>
                <td>{formatDateTime(code.issuedAt, locale)}</td>
                <td>
                  {code.usedAt ? (
                    t("admin.used")
                  ) : code.revokedAt ? (
                    t("admin.revoked")
                  ) : (
                    <RowAction intent="revoke" values={{ claimCodeId: code.id }} label={t("admin.revoke")} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
