import { getInputProps, getTextareaProps, type FieldMetadata } from "@conform-to/react";
import { useTranslation } from "~/i18n/react";
import { Field } from "./field";

type Meta = Parameters<typeof Field>[0]["meta"];

/** A product's own fields, the same on the "new product" and the "edit product" forms. */
export function ProductFields({
  fields,
}: {
  fields: { name: Meta; description: FieldMetadata<string>; price: Meta; stock: Meta; hidden: FieldMetadata<string> };
}) {
  const { t } = useTranslation();
  return (
    <>
      <Field meta={fields.name} label={t("market.manage.name")} maxLength={60} />
      <div className="field">
        <label htmlFor={fields.description.id}>{t("market.manage.description")}</label>
        <textarea {...getTextareaProps(fields.description)} key={fields.description.key} rows={3} maxLength={500} />
      </div>
      <Field
        meta={fields.price}
        label={t("market.manage.price")}
        hint={t("market.manage.priceHint")}
        inputMode="decimal"
      />
      <Field meta={fields.stock} label={t("market.manage.stock")} inputMode="numeric" />
      <label className="check">
        <input {...getInputProps(fields.hidden, { type: "checkbox", value: "on" })} key={fields.hidden.key} />{" "}
        {t("market.manage.hidden")}
      </label>
    </>
  );
}
