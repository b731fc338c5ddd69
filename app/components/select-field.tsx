import { getSelectProps, type FieldMetadata } from "@conform-to/react";
import { useTranslation } from "~/i18n/react";

/** A labelled <select> with its errors (message keys, translated here). */
export function SelectField({
  meta,
  label,
  options,
}: {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  meta: FieldMetadata<any>;
  label: string;
  options: readonly { value: string; label: string }[];
}) {
  const { t } = useTranslation();
  return (
    <div className="field">
      <label htmlFor={meta.id}>{label}</label>
      <select {...getSelectProps(meta)} key={meta.key}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <ul className="field__errors" id={meta.errorId} aria-live="polite">
        {meta.errors?.map((code) => (
          <li key={code}>{t(code)}</li>
        ))}
      </ul>
    </div>
  );
}
