import { getFormProps, getSelectProps, type SubmissionResult } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { Field, useZodForm, FieldErrors } from "~/components/field";
import { SubmitButton } from "~/components/submit-button";
import { rosterRowSchema } from "~/domain/roster/schemas";

export interface RosterFormOptions {
  categories: { value: string; label: string }[];
  streets: { value: string; label: string }[];
}

/** The roster columns of one business as a form; a refusal reads like the dry run's reason. */
export function RosterBusinessForm({
  defaults,
  options,
  lastResult,
  refusal,
  submitLabel,
  microGridHint,
}: {
  defaults: Record<string, string>;
  options: RosterFormOptions;
  lastResult?: SubmissionResult<string[]>;
  refusal?: { code: string; params: Record<string, string | number> } | null;
  submitLabel: string;
  /** On the edit page: the micro-grid is left empty and follows the place; this says which it is now. */
  microGridHint?: string;
}) {
  const { t } = useTranslation();
  const [form, fields] = useZodForm(rosterRowSchema, {
    lastResult,
    defaultValue: defaults,
  });
  const select = (
    name: "kind" | "category" | "street" | "night",
    items: { value: string; label: string }[],
    blank = false,
  ) => {
    const meta = fields[name];
    return (
      <div className="field">
        <label htmlFor={meta.id}>{t(`roster.columns.${name}`)}</label>
        <select {...getSelectProps(meta)} key={meta.key}>
          {blank ? <option value="">—</option> : null}
          {items.map((i) => (
            <option key={i.value} value={i.value}>
              {i.label}
            </option>
          ))}
        </select>
        <FieldErrors meta={meta} live={false} />
      </div>
    );
  };
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      {refusal ? (
        <div className="form-errors" role="alert" id={form.errorId}>
          <p>{t(refusal.code, refusal.params)}</p>
        </div>
      ) : null}
      <Field meta={fields.name} label={t("roster.columns.name")} autoComplete="off" />
      {select("kind", [
        { value: "门店", label: t("directory.kinds.shop") },
        { value: "摊位", label: t("directory.kinds.stall") },
      ])}
      {select("category", options.categories)}
      {select("street", options.streets, true)}
      <div className="roster__pair">
        <Field meta={fields.number} label={t("roster.columns.number")} autoComplete="off" />
        <Field meta={fields.stall} label={t("roster.columns.stall")} autoComplete="off" />
      </div>
      <Field meta={fields.microGrid} label={t("roster.columns.microGrid")} hint={microGridHint} autoComplete="off" />
      <Field meta={fields.ownerName} label={t("roster.columns.ownerName")} autoComplete="off" />
      <Field meta={fields.phone} type="tel" inputMode="tel" label={t("roster.columns.phone")} autoComplete="off" />
      <Field meta={fields.hours} label={t("roster.columns.hours")} placeholder="08:00-21:00" autoComplete="off" />
      {select("night", [
        { value: "否", label: t("roster.no") },
        { value: "是", label: t("roster.yes") },
      ])}
      <SubmitButton intent="save" primary label={submitLabel} />
    </Form>
  );
}
