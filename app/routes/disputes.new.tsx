import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { businessByCode, fileDispute, microGridChoices } from "~/domain/disputes/disputes.server";
import { disputeSchema } from "~/domain/disputes/schemas";
import { isDomainError } from "~/domain/errors";
import { clockNow } from "~/lib/clock.server";
import { requireUser } from "~/lib/http.server";
import { maxPhotoBytes } from "~/domain/photos.server";
import { disputeCategories } from "~/domain/vocabularies";
import { megabytes, readMultipartForm } from "~/lib/uploads.server";
import { TooLargeFiles, type TooLarge, SelectField } from "~/components/field";
import { SubmitButton } from "~/components/submit-button";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "disputeNew");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(context, request);
  const business = (new URL(request.url).searchParams.get("business") ?? "").slice(0, 20);
  // Opened from a shop page: name the business next to its code.
  const respondent = business ? await businessByCode(context.db, business) : null;
  return { microGrids: await microGridChoices(context.db), business, respondent };
}

type Values = Record<string, string>;
const refuse = (error: string, field: string | undefined, values: Values, status = 400, tooLarge?: TooLarge) =>
  data({ error, field: field ?? null, values, tooLarge: tooLarge ?? null }, { status });

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  // A photo over the limit is named, not thrown: the rest of the form is kept.
  const read = await readMultipartForm(request, { maxFileBytes: maxPhotoBytes, maxFiles: 5 });
  const form = read.form;
  const tooLarge: TooLarge | null =
    read.tooLarge.length > 0 ? { names: read.tooLarge.map((f) => f.name), max: megabytes(maxPhotoBytes) } : null;
  const values: Values = {};
  for (const key of ["category", "respondentBusiness", "respondentPhone", "microGridId", "description"])
    values[key] = String(form.get(key) ?? "");
  // A photo over the limit: nothing is filed; the form comes back as typed, naming the photo.
  if (tooLarge) return refuse("directory.errors.photoTooLarge", "photos", values, 400, tooLarge);
  let respondentBusinessId: number | undefined;
  if (values.respondentBusiness.trim()) {
    const business = await businessByCode(context.db, values.respondentBusiness);
    if (!business) return refuse("desk.errors.unknownBusiness", "respondentBusiness", values);
    respondentBusinessId = business.id;
  }
  const parsed = disputeSchema.safeParse({ ...values, respondentBusinessId });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return refuse(issue?.message ?? "errors.invalid", String(issue?.path[0] ?? ""), values);
  }
  const photos: Uint8Array[] = [];
  for (const file of form.getAll("photos")) {
    if (file instanceof Blob && file.size > 0) photos.push(new Uint8Array(await file.arrayBuffer()));
  }
  try {
    const dispute = await fileDispute(context.db, user, parsed.data, clockNow(), photos);
    return redirect(`/disputes/${dispute.id}`);
  } catch (error) {
    if (isDomainError(error)) return refuse(error.code, error.field, values, error.status);
    throw error;
  }
}

export default function NewDispute() {
  const { microGrids, business, respondent } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const v = result?.values ?? {};
  const errorFor = (field: string) =>
    result?.field === field ? (
      <p className="field__errors" role="alert">
        {t(result.error)}
      </p>
    ) : null;
  return (
    <section className="narrow stack desk">
      <h1>{t("desk.fileDispute")}</h1>
      <p className="field__hint" data-testid="dispute-notice">
        {t("desk.disputeNotice")}
      </p>
      {result && !result.field ? (
        <p className="form-errors" role="alert">
          {t(result.error)}
        </p>
      ) : null}
      <Form method="post" encType="multipart/form-data" className="stack">
        <SelectField
          id="category"
          name="category"
          label={t("desk.form.category")}
          defaultValue={v.category || "other"}
          options={disputeCategories.map((c) => ({ value: c, label: t(`desk.categories.${c}`) }))}
        />
        <fieldset className="field">
          <legend>{t("desk.form.otherParty")}</legend>
          <label htmlFor="respondentBusiness">{t("desk.form.respondentBusiness")}</label>
          <input
            id="respondentBusiness"
            name="respondentBusiness"
            defaultValue={v.respondentBusiness ?? business}
            autoComplete="off"
          />
          {respondent && (v.respondentBusiness ?? business) === business ? (
            <p className="field__hint" data-testid="respondent-name">
              {t("desk.form.respondentIs", { name: respondent.name, code: respondent.code })}
            </p>
          ) : null}
          {errorFor("respondentBusiness")}
          {errorFor("respondentBusinessId")}
          <label htmlFor="respondentPhone">{t("desk.form.respondentPhone")}</label>
          <input
            id="respondentPhone"
            name="respondentPhone"
            type="tel"
            defaultValue={v.respondentPhone}
            autoComplete="off"
          />
          {errorFor("respondentPhone")}
          <label htmlFor="microGridId">{t("desk.form.microGrid")}</label>
          <select id="microGridId" name="microGridId" defaultValue={v.microGridId ?? ""}>
            <option value="">—</option>
            {microGrids.map((m) => (
              <option key={m.id} value={m.id}>
                {m.code} {i18n.language === "en" ? m.nameEn : m.nameZh}
              </option>
            ))}
          </select>
          {errorFor("microGridId")}
        </fieldset>
        <div className="field">
          <label htmlFor="description">{t("desk.form.description")}</label>
          <textarea id="description" name="description" rows={6} defaultValue={v.description} />
          {errorFor("description")}
        </div>
        <div className="field">
          <label htmlFor="photos">{t("desk.form.photos")}</label>
          <input id="photos" name="photos" type="file" accept="image/jpeg,image/png,image/webp" multiple />
          {result?.field === "photos" && result.tooLarge ? (
            <TooLargeFiles tooLarge={result.tooLarge} kept />
          ) : (
            errorFor("photos")
          )}
        </div>
        <SubmitButton primary label={t("desk.form.submit")} />
      </Form>
    </section>
  );
}
