import { pageMeta } from "~/i18n/meta";
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { z } from "zod";
import { ConformForm, Field, useZodForm } from "~/components/field";
import { SubmitButton } from "~/components/submit-button";
import { RowAction } from "~/components/row-action";
import { issueClaimCode, listClaimCodes, revokeClaimCode } from "~/domain/accounts/claims.server";
import { businessCodeSchema } from "~/domain/accounts/schemas";
import { conformAction, parsedOr400 } from "~/lib/forms.server";
import { orErrorPage, requireUser } from "~/lib/http.server";
import { idParam } from "~/lib/ids";
import { formatDateTime } from "~/lib/time";
import { useRootData } from "~/root";
import { Notice, PageSection, WideTable } from "~/components/page-parts";

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
    const { claimCodeId } = parsedOr400(revokeSchema, Object.fromEntries(formData));
    await orErrorPage(() => revokeClaimCode(context.db, user, claimCodeId));
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
  const [form, fields] = useZodForm(businessCodeSchema, { lastResult: actionData?.result, checkOn: "submit" });
  return (
    <PageSection className="stack" title={t("admin.claimCodes")} intro={t("admin.claimCodesIntro")}>
      {actionData?.issued ? (
        <Notice testId="issued-code">
          {actionData.issued.business}: {t("admin.issued", { code: actionData.issued.code })}
        </Notice>
      ) : null}
      <ConformForm form={form}>
        <Field
          meta={fields.businessCode}
          label={t("admin.businessCode")}
          hint={t("admin.businessCodeHint")}
          autoComplete="off"
        />
        <SubmitButton intent="issue" primary label={t("admin.issue")} />
      </ConformForm>
      <WideTable columns={[t("admin.business"), t("admin.hint"), t("admin.issuedAt"), t("admin.status")]}>
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
      </WideTable>
    </PageSection>
  );
}
