import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { TooLargeFiles, type TooLarge } from "~/components/field";
import { SubmitButton } from "~/components/submit-button";
import { useTranslation } from "~/i18n/react";
import { Notice } from "~/components/page-parts";

/** A photo file input with its label, its hint if any, and what is said under it (`children`: its errors). */
export function PhotoInput({
  id,
  label,
  hint,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  children?: ReactNode;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name="photo"
        type="file"
        accept="image/jpeg,image/png,image/webp"
        aria-describedby={hint ? `${id}-hint ${id}-error` : `${id}-error`}
      />
      {hint ? (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {children}
    </div>
  );
}

/** How a photo upload went, as an edit page's action answers it. */
export type PhotoResult = { ok: true } | { ok: false; error: string; tooLarge?: TooLarge };

/**
 * An edit page's own photo form (a shop's, a product's): `children` stand above the input (the
 * current photo), the refusal of the last upload under it, and `uploadedText`, if given, once it is saved.
 */
export function PhotoUploadForm({
  photo,
  label,
  hint,
  uploadedText,
  submitText,
  children,
}: {
  photo: PhotoResult | undefined;
  label: string;
  hint?: string;
  uploadedText?: string;
  submitText: string;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Form method="post" encType="multipart/form-data" className="stack card">
      {children}
      <PhotoInput id="photo" label={label} hint={hint}>
        {photo && !photo.ok ? (
          photo.tooLarge ? (
            <TooLargeFiles tooLarge={photo.tooLarge} kept={false} id="photo-error" />
          ) : (
            <p className="field__errors" id="photo-error" role="alert">
              {t(photo.error)}
            </p>
          )
        ) : null}
        {photo?.ok && uploadedText ? <Notice>{uploadedText}</Notice> : null}
      </PhotoInput>
      <SubmitButton label={submitText} />
    </Form>
  );
}

/** "Saved", once a form's action answers `saved: true`. */
export function SavedNotice({ result, text }: { result: unknown; text: string }) {
  if (!(result && typeof result === "object" && "saved" in result && result.saved)) return null;
  return <Notice>{text}</Notice>;
}
