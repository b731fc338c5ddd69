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
import { SelectField } from "~/components/select-field";
import { grantRole, listRoleHolders, revokeRole } from "~/domain/accounts/roles.server";
import { roleChangeSchema } from "~/domain/accounts/schemas";
import { roleNames } from "~/domain/vocabularies";
import { conformAction } from "~/lib/forms.server";
import { orErrorPage, requireUser } from "~/lib/http.server";
import { maskPhone } from "~/lib/phone";

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
    const parsed = revokeSchema.safeParse(Object.fromEntries(formData));
    if (!parsed.success) throw data({ code: "errors.invalid" }, { status: 400 });
    await orErrorPage(() => revokeRole(context.db, user, parsed.data.userId, parsed.data.role));
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
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: roleChangeSchema }),
  });
  return (
    <section className="stack">
      <h1>{t("admin.roles")}</h1>
      <p>{t("admin.rolesIntro")}</p>
      {actionData?.done ? (
        <p className="notice-ok" role="status">
          {t("admin.done")}
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormErrors id={form.errorId} errors={form.errors} />
        <Field meta={fields.phone} type="tel" label={t("admin.userPhone")} inputMode="tel" />
        <SelectField
          meta={fields.role}
          label={t("admin.role")}
          options={roleNames.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
        />
        <SubmitButton intent="grant" className="button button--primary" label={t("admin.grant")} />
      </Form>
      <h2>{t("admin.holders")}</h2>
      <div className="table-wrap">
        <table>
          <tbody>
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
          </tbody>
        </table>
      </div>
    </section>
  );
}
