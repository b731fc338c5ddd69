import { getFormProps, getInputProps, getTextareaProps, useForm } from "@conform-to/react";
import { pageMeta } from "~/i18n/meta";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { Field, FormErrors, TooLargeFiles, type TooLarge } from "~/components/field";
import { megabytes, readMultipartForm } from "~/lib/uploads.server";
import { assertCan } from "~/domain/accounts/permissions";
import {
  businessProfileForEditing,
  maxPhotoBytes,
  replaceBusinessPhoto,
  updateBusinessProfile,
} from "~/domain/directory/business.server";
import { formatMinute } from "~/domain/directory/hours";
import { businessProfileSchema } from "~/domain/directory/schemas";
import { isDomainError } from "~/domain/errors";
import { replyWithRefusal } from "~/lib/forms.server";
import { orErrorPage, requireUser } from "~/lib/http.server";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "shopEdit");

function businessId(param: string | undefined) {
  const id = Number(param);
  if (!Number.isSafeInteger(id) || id <= 0) throw data({ code: "directory.errors.notFound" }, { status: 404 });
  return id;
}

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
  if (request.headers.get("content-type")?.startsWith("multipart/form-data")) {
    // Only owners and staff may upload; check before reading the body.
    await orErrorPage(async () => assertCan(user, { action: "business.edit", businessId: id }));
    try {
      const { form, tooLarge } = await readMultipartForm(request, { maxFileBytes: maxPhotoBytes, maxFiles: 1 });
      if (tooLarge.length > 0)
        return data(
          {
            profile: undefined,
            photo: {
              ok: false as const,
              error: "directory.errors.photoTooLarge",
              tooLarge: { names: tooLarge.map((f) => f.name), max: megabytes(maxPhotoBytes) },
            },
          },
          { status: 400 },
        );
      const file = form.get("photo");
      const bytes = file instanceof Blob ? new Uint8Array(await file.arrayBuffer()) : new Uint8Array();
      await replaceBusinessPhoto(context.db, user, id, bytes);
      return { profile: undefined, photo: { ok: true as const } };
    } catch (error) {
      if (isDomainError(error))
        return data({ profile: undefined, photo: { ok: false as const, error: error.code } }, { status: error.status });
      throw error;
    }
  }
  const submission = parseWithZod(await request.formData(), { schema: businessProfileSchema });
  if (submission.status !== "success") return data({ profile: submission.reply(), photo: undefined }, { status: 400 });
  try {
    await updateBusinessProfile(context.db, user, id, submission.value);
    return { profile: submission.reply(), photo: undefined, saved: true };
  } catch (error) {
    const refusal = replyWithRefusal(submission, error);
    return data({ profile: refusal.data, photo: undefined }, { status: refusal.init?.status ?? 400 });
  }
}

export default function EditShop() {
  const { id, name, defaults } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const [form, fields] = useForm({
    lastResult: actionData?.profile,
    defaultValue: defaults,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: businessProfileSchema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  return (
    <section className="narrow stack">
      <h1>{t("directory.edit.title", { name })}</h1>
      {actionData && "saved" in actionData && actionData.saved ? (
        <p className="notice-ok" role="status">
          {t("directory.edit.saved")}
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormErrors id={form.errorId} errors={form.errors} />
        <div className="field">
          <label htmlFor={fields.description.id}>{t("directory.edit.description")}</label>
          <textarea {...getTextareaProps(fields.description)} key={fields.description.key} rows={4} maxLength={500} />
          <p className="field__hint">{t("directory.edit.descriptionHint")}</p>
          <ul className="field__errors" id={fields.description.errorId}>
            {fields.description.errors?.map((e) => (
              <li key={e}>{t(e)}</li>
            ))}
          </ul>
        </div>
        <Field
          meta={fields.phone}
          type="tel"
          label={t("directory.edit.phone")}
          hint={t("directory.edit.phoneHint")}
          inputMode="tel"
        />
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
            <Field
              meta={fields.dayOpensAt}
              label={t("directory.edit.dayOpensAt")}
              placeholder="08:00"
              inputMode="numeric"
            />
            <Field
              meta={fields.dayClosesAt}
              label={t("directory.edit.dayClosesAt")}
              placeholder="21:00"
              inputMode="numeric"
            />
            <Field
              meta={fields.nightOpensAt}
              label={t("directory.edit.nightOpensAt")}
              placeholder="18:00"
              inputMode="numeric"
            />
            <Field
              meta={fields.nightClosesAt}
              label={t("directory.edit.nightClosesAt")}
              placeholder="01:00"
              inputMode="numeric"
            />
          </div>
        </fieldset>
        <button type="submit" className="button button--primary">
          {t("directory.edit.save")}
        </button>
      </Form>

      <Form method="post" encType="multipart/form-data" className="stack card">
        <div className="field">
          <label htmlFor="photo">{t("directory.edit.photo")}</label>
          <input
            id="photo"
            name="photo"
            type="file"
            accept="image/jpeg,image/png,image/webp"
            aria-describedby="photo-hint photo-error"
          />
          <p className="field__hint" id="photo-hint">
            {t("directory.edit.photoHint")}
          </p>
          {actionData?.photo && !actionData.photo.ok ? (
            "tooLarge" in actionData.photo ? (
              <TooLargeFiles tooLarge={actionData.photo.tooLarge as TooLarge} kept={false} id="photo-error" />
            ) : (
              <p className="field__errors" id="photo-error" role="alert">
                {t(actionData.photo.error)}
              </p>
            )
          ) : null}
          {actionData?.photo?.ok ? (
            <p className="notice-ok" role="status">
              {t("directory.edit.uploaded")}
            </p>
          ) : null}
        </div>
        <button type="submit" className="button">
          {t("directory.edit.upload")}
        </button>
      </Form>
      <Link to={`/shops/${id}`}>{t("directory.edit.back")}</Link>
    </section>
  );
}
