import type { ReactNode } from "react";

/**
 * A form's submit button (`className` "button" unless given); `intent`, if given, is posted as
 * the `intent` field, for an action that answers more than one form.
 */
export function SubmitButton({
  label,
  intent,
  className = "button",
}: {
  label: ReactNode;
  intent?: string;
  className?: string;
}) {
  return (
    <button type="submit" name={intent ? "intent" : undefined} value={intent} className={className}>
      {label}
    </button>
  );
}
