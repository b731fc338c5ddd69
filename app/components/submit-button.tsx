import type { ReactNode } from "react";

/**
 * A form's submit button (`className` "button" unless given; `primary` for the page's main way
 * on); `intent`, if given, is posted as the `intent` field, for an action that answers more than
 * one form.
 */
export function SubmitButton({
  label,
  intent,
  primary = false,
  className = primary ? "button button--primary" : "button",
}: {
  label: ReactNode;
  intent?: string;
  primary?: boolean;
  className?: string;
}) {
  return (
    <button type="submit" name={intent ? "intent" : undefined} value={intent} className={className}>
      {label}
    </button>
  );
}
