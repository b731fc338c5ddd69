import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { maxPhotoBytes } from "~/domain/photos.server";
import { reportReview, replyToReview, writeReview } from "~/domain/reviews/reviews.server";
import { replySchema, reportSchema, reviewSchema } from "~/domain/reviews/rules";
import { clockNow } from "~/lib/clock.server";
import { requireUser } from "~/lib/http.server";
import { attempt, attemptParsed, invalidForm } from "~/lib/refusal.server";
import { readMultipartForm } from "~/lib/uploads.server";

/** The reviews live on the shop page; this path only takes their forms. */
export function loader({ params }: LoaderFunctionArgs) {
  return redirect(`/shops/${params.id}#reviews`);
}

/**
 * A review (multipart, with up to 3 photos), the business's reply, or a report. Who may do each
 * is decided in app/domain/reviews; a refusal is its status with the reason in the reader's language.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const businessId = Number(params.id);
  if (!Number.isSafeInteger(businessId) || businessId <= 0) return invalidForm("errors.notFound");
  const multipart = /^multipart\/form-data\b/i.test(request.headers.get("content-type") ?? "");
  if (multipart) {
    const read = await readMultipartForm(request, { maxFileBytes: maxPhotoBytes, maxFiles: 4 });
    if (read.tooLarge.length > 0) return invalidForm("directory.errors.photoTooLarge");
    const form = read.form;
    if (form.get("intent") !== "review") return invalidForm();
    const parsed = reviewSchema.safeParse(
      Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string")),
    );
    if (!parsed.success) return invalidForm(parsed.error.issues[0]?.message);
    const photos: Uint8Array[] = [];
    for (const file of form.getAll("photos"))
      if (file instanceof Blob && file.size > 0) photos.push(new Uint8Array(await file.arrayBuffer()));
    return attempt(async () => {
      await writeReview(context.db, user, businessId, parsed.data, photos, clockNow());
      return "reviews.posted";
    });
  }
  const form = Object.fromEntries(await request.formData());
  if (form.intent === "reply")
    return attemptParsed(form, replySchema, async (reply) => {
      await replyToReview(context.db, user, reply, clockNow());
      return "reviews.replied";
    });
  if (form.intent === "report")
    return attemptParsed(form, reportSchema, async (report) => {
      await reportReview(context.db, user, report, clockNow());
      return "reviews.reported";
    });
  return invalidForm();
}

/** A UI route (so the shop page's fetcher forms post here as to any page); it renders nothing itself. */
export default function ReviewForms() {
  return null;
}
