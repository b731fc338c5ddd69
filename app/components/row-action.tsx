import { Form } from "@remix-run/react";

/** A one-button form on a table row: posts `intent` with the row's hidden values (revoke, remove). */
export function RowAction({
  intent,
  values,
  label,
}: {
  intent: string;
  values: Record<string, string | number>;
  label: string;
}) {
  return (
    <Form method="post">
      {Object.entries(values).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" name="intent" value={intent} className="button button--small">
        {label}
      </button>
    </Form>
  );
}
