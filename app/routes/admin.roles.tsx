import { pageMeta } from "~/i18n/meta";
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { z } from "zod";
import { ConformForm, PhoneField, useZodForm } from "~/components/field";
import { SubmitButton } from "~/components/submit-button";
import { RowAction } from "~/components/row-action";
import { SelectField } from "~/components/select-field";
import { grantRole, listRoleHolders, revokeRole } from "~/domain/accounts/roles.server";
import { roleChangeSchema } from "~/domain/accounts/schemas";
import { roleNames } from "~/domain/vocabularies";
import { conformAction, parsedOr400 } from "~/lib/forms.server";
import { orErrorPage, requireUser } from "~/lib/http.server";
import { maskPhone } from "~/lib/phone";
import { Notice, PageSection, WideTable } from "~/components/page-parts";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "adminRoles");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const holders = await orErrorPage(() => listRoleHolders(context.db, user));
  return { holders: holders.map((h) => ({ ...h, phone: maskPhone(h.phone) })) };
}

const revokeSchema = z.object({ userId: z.string().min(1), role: z.enum(roleNames) });

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const formData = await request.formData();
  if (formData.get("intent") === "revoke") {
    const { userId, role } = parsedOr400(revokeSchema, Object.fromEntries(formData));
    await orErrorPage(() => revokeRole(context.db, user, userId, role));
    return { result: undefined, done: true };
  }
  return conformAction(formData, roleChangeSchema, { done: false }, async (value) => {
    await grantRole(context.db, user, value.phone, value.role);
    return { done: true };
  });
}

export default function Roles() {
  const { holders } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const [form, fields] = useZodForm(roleChangeSchema, { lastResult: actionData?.result, checkOn: "submit" });
  return (
    <PageSection className="stack" title={t("admin.roles")} intro={t("admin.rolesIntro")}>
      {actionData?.done ? <Notice>{t("admin.done")}</Notice> : null}
      <ConformForm form={form}>
        <PhoneField meta={fields.phone} label={t("admin.userPhone")} />
        <SelectField
          meta={fields.role}
          label={t("admin.role")}
          options={roleNames.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
        />
        <SubmitButton intent="grant" primary label={t("admin.grant")} />
      </ConformForm>
      <h2>{t("admin.holders")}</h2>
      <WideTable>
        {holders.map((h) => (
          <tr key={`${h.userId}-${h.role}`}>
            <td>{t(`roles.${h.role}`)}</td>
            <td>
              {h.displayName} <span className="muted">{h.phone}</span>
            </td>
            <td>
              <RowAction intent="revoke" values={{ userId: h.userId, role: h.role }} label={t("admin.revoke")} />
            </td>
          </tr>
        ))}
      </WideTable>
    </PageSection>
  );
}
