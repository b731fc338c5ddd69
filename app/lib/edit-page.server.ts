import { parseWithZod } from "@conform-to/zod/v4";
import { data } from "@remix-run/node";
import type { ZodType } from "zod";
import { isDomainError } from "~/lib/errors";
import { replyWithRefusal } from "~/lib/forms.server";
import { megabytes, readMultipartForm } from "~/lib/uploads.server";

/**
 * The action of an edit page with two forms (a shop's profile, a product): the record's Conform
 * form, checked with `schema` and saved by `save` (the form keeps what was saved), and a multipart
 * form with one photo. For the photo, `mayUpload` refuses (as an error page) before the body is
 * read; a file over `maxPhotoBytes` is named back, and `replacePhoto` gets the bytes.
 * Either form's answer has both keys, the other `undefined`: `{ edit, photo, saved? }`.
 */
export async function editPageAction<Value>(
  request: Request,
  steps: {
    schema: ZodType<Value>;
    save: (value: Value) => Promise<unknown>;
    maxPhotoBytes: number;
    mayUpload: () => Promise<unknown>;
    replacePhoto: (bytes: Uint8Array) => Promise<unknown>;
  },
) {
  if (request.headers.get("content-type")?.startsWith("multipart/form-data")) {
    await steps.mayUpload();
    const { photo, status } = await receivePhoto(request, steps.maxPhotoBytes, steps.replacePhoto);
    return data({ edit: undefined, photo }, { status });
  }
  const submission = parseWithZod(await request.formData(), { schema: steps.schema });
  if (submission.status !== "success") return data({ edit: submission.reply(), photo: undefined }, { status: 400 });
  try {
    await steps.save(submission.value);
    return { edit: submission.reply(), photo: undefined, saved: true };
  } catch (error) {
    const refusal = replyWithRefusal(submission, error);
    return data({ edit: refusal.data, photo: undefined }, { status: refusal.init?.status ?? 400 });
  }
}

/** The photo of a one-file multipart form handed to `replace`; what went wrong is the answer, with its status. */
async function receivePhoto(request: Request, maxBytes: number, replace: (bytes: Uint8Array) => Promise<unknown>) {
  try {
    const { form, tooLarge } = await readMultipartForm(request, { maxFileBytes: maxBytes, maxFiles: 1 });
    if (tooLarge.length > 0)
      return {
        photo: {
          ok: false as const,
          error: "directory.errors.photoTooLarge",
          tooLarge: { names: tooLarge.map((f) => f.name), max: megabytes(maxBytes) },
        },
        status: 400,
      };
    const file = form.get("photo");
    await replace(file instanceof Blob ? new Uint8Array(await file.arrayBuffer()) : new Uint8Array());
    return { photo: { ok: true as const }, status: 200 };
  } catch (error) {
    if (isDomainError(error)) return { photo: { ok: false as const, error: error.code }, status: error.status };
    throw error;
  }
}
