import { Form } from "@remix-run/react";

/**
 * A one-button form: posts `intent` with the hidden `values` that say what it acts on (revoke a
 * role, mark an order ready, escalate a dispute). A small button unless `className` says otherwise.
 */
export function RowAction({
  intent,
  values = {},
  label,
  className = "button button--small",
}: {
  intent: string;
  values?: Record<string, string | number>;
  label: string;
  className?: string;
}) {
  return (
    <Form method="post">
      {Object.entries(values).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" name="intent" value={intent} className={className}>
        {label}
      </button>
    </Form>
  );
}
