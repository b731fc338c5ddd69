import { getSelectProps, type FieldMetadata } from "@conform-to/react";
import { FieldErrors } from "~/components/field";
import { Options } from "~/components/page-parts";

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
  return (
    <div className="field">
      <label htmlFor={meta.id}>{label}</label>
      <select {...getSelectProps(meta)} key={meta.key}>
        <Options options={options} />
      </select>
      <FieldErrors meta={meta} />
    </div>
  );
}
