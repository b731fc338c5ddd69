import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { translatorOf, useTranslation } from "~/i18n/react";
import { TooLargeFiles, type TooLarge } from "~/components/field";
import { SubmitButton } from "~/components/submit-button";
import { isDomainError } from "~/domain/errors";
import { COMPLAINT_PHOTOS_MAX, complaintTarget, fileComplaint } from "~/domain/feedback/complaints.server";
import { complaintSchema } from "~/domain/feedback/schemas";
import { maxPhotoBytes } from "~/domain/photos.server";
import { createI18n } from "~/i18n/i18n";
import { clockNow } from "~/lib/clock.server";
import { orErrorPage, requireUser } from "~/lib/http.server";
import { megabytes, readMultipartForm } from "~/lib/uploads.server";
import { FieldRefusal, Notice } from "~/components/page-parts";

const businessIdOf = (raw: string | undefined) => {
  const id = Number(raw);
  if (!/^\d+$/.test(raw ?? "") || !Number.isSafeInteger(id) || id <= 0 || id > 2147483647)
    throw data({ code: "directory.errors.notFound" }, { status: 404 });
  return id;
};

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  requireUser(context, request);
  const business = await orErrorPage(() => complaintTarget(context.db, context.actor, businessIdOf(params.id)));
  const from = new URL(request.url).searchParams.get("from") === "plaque" ? "plaque" : "shop_page";
  const t = translatorOf(createI18n(context.locale));
  return { business, from, title: `${t("trust.complain.title", { name: business.name })} · ${t("app.name")}` };
}

type Values = { body: string; hideName: string; from: string };
const refuse = (error: string, field: string | null, values: Values, status = 400, tooLarge?: TooLarge) =>
  data({ error, field, values, tooLarge: tooLarge ?? null }, { status });

/** Files the complaint with its photos and opens its case page with the new number. */
export async function action({ params, request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const businessId = businessIdOf(params.id);
  const read = await readMultipartForm(request, { maxFileBytes: maxPhotoBytes, maxFiles: COMPLAINT_PHOTOS_MAX + 1 });
  const form = read.form;
  const values: Values = {
    body: String(form.get("body") ?? ""),
    hideName: String(form.get("hideName") ?? ""),
    from: String(form.get("from") ?? ""),
  };
  // A photo over the limit: nothing is filed; the form comes back as typed, naming the photo.
  if (read.tooLarge.length > 0)
    return refuse("directory.errors.photoTooLarge", "photos", values, 400, {
      names: read.tooLarge.map((f) => f.name),
      max: megabytes(maxPhotoBytes),
    });
  const parsed = complaintSchema.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return refuse(issue?.message ?? "errors.invalid", String(issue?.path[0] ?? "") || null, values);
  }
  const photos: Uint8Array[] = [];
  for (const file of form.getAll("photos"))
    if (file instanceof Blob && file.size > 0) photos.push(new Uint8Array(await file.arrayBuffer()));
  try {
    const filed = await fileComplaint(
      context.db,
      user,
      { businessId, source: parsed.data.from, body: parsed.data.body, hideName: parsed.data.hideName },
      clockNow(),
      photos,
    );
    return redirect(`/cases/${filed.caseNumber}?filed=1`);
  } catch (error) {
    if (isDomainError(error)) return refuse(error.code, error.field ?? null, values, error.status);
    throw error;
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title ?? "信圈" },
  { name: "robots", content: "noindex" },
];

export default function Complain() {
  const { business, from } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  const v = result?.values;
  return (
    <section className="narrow stack desk">
      <p>
        <Link to={`/shops/${business.id}`}>← {business.name}</Link>
      </p>
      <h1>{t("trust.complain.title", { name: business.name })}</h1>
      {business.ownShop ? (
        <Notice ok={false} testId="own-shop">
          {t("desk.errors.selfComplaint")}
        </Notice>
      ) : (
        <>
          <p>{t("trust.complain.intro")}</p>
          <p className="field__hint" data-testid="public-notice">
            {t("trust.complain.publicNotice")}
          </p>
          {result && !result.field ? <Notice ok={false}>{t(result.error)}</Notice> : null}
          <Form method="post" encType="multipart/form-data" className="stack" data-testid="complaint-form">
            <input type="hidden" name="from" value={from} />
            <div className="field">
              <label htmlFor="body">{t("trust.complain.body")}</label>
              <textarea id="body" name="body" rows={6} defaultValue={v?.body} />
              <FieldRefusal result={result} field="body" />
            </div>
            <div className="field">
              <label htmlFor="photos">{t("trust.complain.photos")}</label>
              <input id="photos" name="photos" type="file" accept="image/jpeg,image/png,image/webp" multiple />
              <p className="field__hint">{t("trust.complain.photosHint")}</p>
              {result?.field === "photos" && result.tooLarge ? (
                <TooLargeFiles tooLarge={result.tooLarge} kept />
              ) : (
                <FieldRefusal result={result} field="photos" />
              )}
            </div>
            <label className="check">
              <input type="checkbox" name="hideName" defaultChecked={v?.hideName === "on"} />{" "}
              {t("trust.complain.hideName")}
            </label>
            <SubmitButton primary label={t("trust.complain.submit")} />
          </Form>
        </>
      )}
    </section>
  );
}
