import {
  getFormProps,
  getInputProps,
  useForm,
  type DefaultValue,
  type FieldMetadata,
  type FormMetadata,
  type SubmissionResult,
} from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form, type FormProps } from "@remix-run/react";
import type { InputHTMLAttributes, ReactNode } from "react";
import type { z } from "zod";
import { useTranslation } from "~/i18n/react";
import { Options } from "~/components/page-parts";

/**
 * The form state of a page whose fields are checked in the browser by the same zod schema the
 * action parses with: each field on leaving it, then again as it is typed into (or, with
 * `checkOn: "submit"`, only when the form is sent).
 */
export function useZodForm<Input extends Record<string, unknown>, Output extends Record<string, unknown>>(
  schema: z.ZodType<Output, Input>,
  {
    checkOn = "blur",
    ...options
  }: {
    id?: string;
    lastResult?: SubmissionResult<string[]> | null;
    defaultValue?: DefaultValue<Input>;
    checkOn?: "blur" | "submit";
  },
) {
  return useForm<Input, Output>({
    ...options,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: checkOn === "submit" ? "onSubmit" : "onBlur",
    shouldRevalidate: checkOn === "submit" ? "onSubmit" : "onInput",
  });
}

/** A Conform form posting to its page, with the errors that belong to the whole form above its fields. */
export function ConformForm<Schema extends Record<string, unknown>>({
  form,
  className = "stack",
  children,
  ...attributes
}: {
  form: FormMetadata<Schema, string[]>;
  className?: string;
  children: ReactNode;
} & Omit<FormProps, "method" | "className">) {
  return (
    <Form method="post" {...getFormProps(form)} className={className} {...attributes}>
      <FormErrors id={form.errorId} errors={form.errors} />
      {children}
    </Form>
  );
}

/** A labelled input with its hint and its errors (message keys, translated here). */
export function Field({
  meta,
  label,
  hint,
  type = "text",
  ...inputAttributes
}: {
  meta: FieldMetadata<string>;
  label: string;
  hint?: string;
  type?: "text" | "tel" | "password" | "search" | "number" | "email" | "date";
} & Omit<InputHTMLAttributes<HTMLInputElement>, "type">) {
  const hintId = hint ? `${meta.id}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={meta.id}>{label}</label>
      <input
        {...getInputProps(meta, {
          type,
          ariaDescribedBy: [hintId, meta.errorId].filter(Boolean).join(" ") || undefined,
        })}
        key={meta.key}
        {...inputAttributes}
      />
      <FieldNotes meta={meta} hint={hint} hintId={hintId} />
    </div>
  );
}

/** What stands under a Conform field's input: its hint, if any, then its errors. */
export function FieldNotes({
  meta,
  hint,
  hintId,
}: {
  meta: { errorId: string; errors?: string[] };
  hint?: string;
  hintId?: string;
}) {
  return (
    <>
      {hint ? (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      <FieldErrors meta={meta} />
    </>
  );
}

/**
 * A Conform field's errors (message keys, translated here), in the list its input is described
 * by; `live` has a screen reader read them out as they change.
 */
export function FieldErrors({ meta, live = true }: { meta: { errorId: string; errors?: string[] }; live?: boolean }) {
  const { t } = useTranslation();
  return (
    <ul className="field__errors" id={meta.errorId} aria-live={live ? "polite" : undefined}>
      {meta.errors?.map((code) => (
        <li key={code}>{t(code)}</li>
      ))}
    </ul>
  );
}

/** A phone number's field: the phone keypad on a touch screen. */
export function PhoneField({
  meta,
  label,
  hint,
  autoComplete,
}: {
  meta: FieldMetadata<string>;
  label: string;
  hint?: string;
  autoComplete?: "tel" | "username";
}) {
  return <Field meta={meta} type="tel" label={label} hint={hint} autoComplete={autoComplete} inputMode="tel" />;
}

/** The field for a password being chosen: with the rule it must meet, for the browser's password manager. */
export function NewPasswordField({ meta, label }: { meta: FieldMetadata<string>; label: string }) {
  const { t } = useTranslation();
  return <Field meta={meta} type="password" label={label} hint={t("auth.passwordHint")} autoComplete="new-password" />;
}

/** Errors that belong to the whole form (a refused sign-in, a used claim code). */
export function FormErrors({ id, errors }: { id?: string; errors?: string[] }) {
  const { t } = useTranslation();
  if (!errors?.length) return null;
  return (
    <div className="form-errors" role="alert" id={id}>
      {errors.map((code) => (
        <p key={code}>{t(code)}</p>
      ))}
    </div>
  );
}

/** Files the server refused as too large (the form is read without them), named one by one. */
export interface TooLarge {
  names: string[];
  max: string;
}

/** "“IMG_2041.jpg” is over 2 MB and was not received", and what to do next. */
export function TooLargeFiles({ tooLarge, kept, id }: { tooLarge: TooLarge; kept: boolean; id?: string }) {
  const { t } = useTranslation();
  return (
    <p className="field__errors" role="alert" id={id} data-testid="file-too-large">
      {t("errors.fileTooLarge", { names: tooLarge.names.join("”“"), max: tooLarge.max })}{" "}
      {kept ? t("errors.filesKept", { max: tooLarge.max }) : t("errors.fileChooseSmaller", { max: tooLarge.max })}
    </p>
  );
}

/** A labelled select over `options` (value and the words shown for it). */
export function SelectField({
  id,
  name,
  label,
  options,
  defaultValue,
  describedBy,
}: {
  id: string;
  name: string;
  label: string;
  options: readonly { value: string; label: string }[];
  defaultValue?: string;
  describedBy?: string;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={defaultValue} aria-describedby={describedBy}>
        <Options options={options} />
      </select>
    </div>
  );
}

/**
 * A labelled input of a plain (non-Conform) form: `id` ties the label (and the hint, if any) to
 * it, the rest is the input's.
 */
export function InputField({
  id,
  label,
  hint,
  ...input
}: { id: string; label: string; hint?: string } & InputHTMLAttributes<HTMLInputElement>) {
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-describedby={hintId} {...input} />
      {hint ? (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/** A labelled textarea for a note, a reason or an agreement. */
export function TextareaField({
  id,
  name,
  label,
  rows = 3,
  required = false,
  defaultValue,
}: {
  id: string;
  name: string;
  label: string;
  rows?: number;
  required?: boolean;
  defaultValue?: string;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} name={name} rows={rows} required={required} defaultValue={defaultValue} />
    </div>
  );
}
