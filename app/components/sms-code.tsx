import { useForm, type FieldMetadata, type FormMetadata, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Link } from "~/components/link";
import { useTranslation } from "~/i18n/react";
import type { ReactNode } from "react";
import type { ZodType } from "zod";
import { ConformForm, Field, PhoneField } from "~/components/field";
import { OnwardLink } from "~/components/page-parts";
import { SubmitButton } from "~/components/submit-button";

/** What a form's action answers when its "send code" button was pressed. */
export interface CodeSent {
  phone: string;
  /** The development outbox holds the code (outside production): link to it. */
  outbox: boolean;
}

/** The "send code" button: submits the form with intent=send-code (only the number is checked). */
export function SendCodeButton() {
  const { t } = useTranslation();
  return (
    <button type="submit" name="intent" value="send-code" className="button" formNoValidate>
      {t("security.sendCode")}
    </button>
  );
}

/** "A code was sent to …", and in development a link to the outbox. */
export function CodeSentNotice({ sent }: { sent: CodeSent | null | undefined }) {
  const { t } = useTranslation();
  if (!sent) return null;
  return (
    <div className="notice-ok" role="status" data-testid="code-sent">
      <p>{t("security.codeSent", { phone: sent.phone })}</p>
      {sent.outbox ? (
        <p>
          {t("security.devOutboxHint")}{" "}
          <Link to="/dev/sms" target="_blank" rel="noreferrer">
            {t("security.devOutboxLink")}
          </Link>
        </p>
      ) : null}
    </div>
  );
}

/**
 * The form state of a page with a "send code" step: the number alone is checked when the
 * send button is pressed, the whole form (`schema`) otherwise.
 */
export function useCodeForm<Value extends Record<string, unknown>>(
  sendSchema: ZodType,
  schema: ZodType<Value>,
  lastResult: SubmissionResult<string[]> | undefined,
) {
  return useForm<Value>({
    lastResult,
    // The send step checks the number only; its other fields stay as typed.
    onValidate: ({ formData }) =>
      parseWithZod(formData, {
        schema: formData.get("intent") === "send-code" ? (sendSchema as ZodType<Value>) : schema,
      }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
}

/** The send button, what was sent, and the field for the code: the middle of every code form. */
export function CodeStep({ code, sent }: { code: FieldMetadata<string>; sent: CodeSent | null | undefined }) {
  const { t } = useTranslation();
  return (
    <>
      <SendCodeButton />
      <CodeSentNotice sent={sent} />
      <Field
        meta={code}
        label={t("security.code")}
        hint={t("security.codeHint")}
        autoComplete="one-time-code"
        inputMode="numeric"
      />
    </>
  );
}

/**
 * A page that is one form with a "send code" step (sign up, a forgotten password, a new number):
 * its title and intro, the phone number, the code step, the page's own fields (`children`), the
 * submit button, and a link onward.
 */
export function CodeFormPage<Schema extends Record<string, unknown>>({
  title,
  intro,
  form,
  fields,
  sent,
  phone,
  submitLabel,
  onward,
  children,
}: {
  title: string;
  intro?: string;
  form: FormMetadata<Schema, string[]>;
  fields: { phone: FieldMetadata<string>; code: FieldMetadata<string> };
  sent: CodeSent | null | undefined;
  phone: { label: string; hint?: string; autoComplete: "tel" | "username" };
  submitLabel: string;
  onward: { to: string; label: string };
  children: ReactNode;
}) {
  return (
    <section className="narrow">
      <h1>{title}</h1>
      {intro ? <p className="muted">{intro}</p> : null}
      <ConformForm form={form}>
        <PhoneField meta={fields.phone} {...phone} />
        <CodeStep code={fields.code} sent={sent} />
        {children}
        <SubmitButton primary label={submitLabel} />
      </ConformForm>
      <OnwardLink to={onward.to}>{onward.label}</OnwardLink>
    </section>
  );
}
