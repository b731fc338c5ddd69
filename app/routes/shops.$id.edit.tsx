import { getInputProps, getTextareaProps } from "@conform-to/react";
import { pageMeta } from "~/i18n/meta";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { useTranslation } from "~/i18n/react";
import { ConformForm, Field, FieldErrors, PhoneField, useZodForm } from "~/components/field";
import { SubmitButton } from "~/components/submit-button";
import { PhotoUploadForm, SavedNotice } from "~/components/photo-upload";
import { editPageAction } from "~/lib/edit-page.server";
import { recordIdOr404 } from "~/lib/page-id.server";
import { assertCan } from "~/domain/accounts/permissions";
import {
  businessProfileForEditing,
  maxPhotoBytes,
  replaceBusinessPhoto,
  updateBusinessProfile,
} from "~/domain/directory/business.server";
import { formatMinute } from "~/domain/directory/hours";
import { businessProfileSchema } from "~/domain/directory/schemas";
import { orErrorPage, requireUser } from "~/lib/http.server";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "shopEdit");

const businessId = (param: string | undefined) => recordIdOr404(param, "directory.errors.notFound");

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const id = businessId(params.id);
  const business = await orErrorPage(() => businessProfileForEditing(context.db, user, id));
  if (!business) throw data({ code: "directory.errors.notFound" }, { status: 404 });
  const time = (m: number | null) => (m === null ? "" : formatMinute(m));
  return {
    id,
    name: business.name,
    photoPath: business.photoPath,
    defaults: {
      description: business.description,
      phone: business.phone ?? "",
      phonePublic: business.phonePublic ? "on" : "",
      dayOpensAt: time(business.dayOpensAt),
      dayClosesAt: time(business.dayClosesAt),
      nightOpensAt: time(business.nightOpensAt),
      nightClosesAt: time(business.nightClosesAt),
    },
  };
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const id = businessId(params.id);
  return editPageAction(request, {
    schema: businessProfileSchema,
    save: (value) => updateBusinessProfile(context.db, user, id, value),
    maxPhotoBytes,
    // Only owners and staff may upload; checked before the body is read.
    mayUpload: () => orErrorPage(async () => assertCan(user, { action: "business.edit", businessId: id })),
    replacePhoto: (bytes) => replaceBusinessPhoto(context.db, user, id, bytes),
  });
}

/** The opening-hours fields, each with the time its placeholder suggests. */
const hourFields = [
  ["dayOpensAt", "08:00"],
  ["dayClosesAt", "21:00"],
  ["nightOpensAt", "18:00"],
  ["nightClosesAt", "01:00"],
] as const;

export default function EditShop() {
  const { id, name, defaults } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const [form, fields] = useZodForm(businessProfileSchema, { lastResult: actionData?.edit, defaultValue: defaults });
  return (
    <section className="narrow stack">
      <h1>{t("directory.edit.title", { name })}</h1>
      <SavedNotice result={actionData} text={t("directory.edit.saved")} />
      <ConformForm form={form}>
        <div className="field">
          <label htmlFor={fields.description.id}>{t("directory.edit.description")}</label>
          <textarea {...getTextareaProps(fields.description)} key={fields.description.key} rows={4} maxLength={500} />
          <p className="field__hint">{t("directory.edit.descriptionHint")}</p>
          <FieldErrors meta={fields.description} live={false} />
        </div>
        <PhoneField meta={fields.phone} label={t("directory.edit.phone")} hint={t("directory.edit.phoneHint")} />
        <label className="check">
          <input
            {...getInputProps(fields.phonePublic, { type: "checkbox", value: "on" })}
            key={fields.phonePublic.key}
          />{" "}
          {t("directory.edit.phonePublic")}
        </label>
        <fieldset className="hours-fieldset">
          <legend>{t("directory.edit.hoursLegend")}</legend>
          <div className="hours-grid">
            {hourFields.map(([name, placeholder]) => (
              <Field
                key={name}
                meta={fields[name]}
                label={t(`directory.edit.${name}`)}
                placeholder={placeholder}
                inputMode="numeric"
              />
            ))}
          </div>
        </fieldset>
        <SubmitButton primary label={t("directory.edit.save")} />
      </ConformForm>

      <PhotoUploadForm
        photo={actionData?.photo}
        label={t("directory.edit.photo")}
        hint={t("directory.edit.photoHint")}
        uploadedText={t("directory.edit.uploaded")}
        submitText={t("directory.edit.upload")}
      />
      <Link to={`/shops/${id}`}>{t("directory.edit.back")}</Link>
    </section>
  );
}
