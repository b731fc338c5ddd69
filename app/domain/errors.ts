import { DomainError } from "../lib/errors";

/** A refusal the user should read (defined in app/lib/errors.ts, so the HTTP helpers can answer it). */
export { DomainError, isDomainError } from "../lib/errors";

export const forbidden = () => new DomainError("errors.forbidden", 403);
export const notFound = () => new DomainError("errors.notFound", 404);

/** The first row a query finds, or a 404 when it finds none: `const row = await foundOr404(db.select()…)`. */
export async function foundOr404<T>(rows: PromiseLike<T[]>): Promise<T> {
  const [row] = await rows;
  if (!row) throw notFound();
  return row;
}

/** `text` without the white space around it; a 400 on `field` when nothing is left. */
export function requiredText(text: string, field: string): string {
  const trimmed = text.trim();
  if (!trimmed) throw new DomainError("errors.required", 400, field);
  return trimmed;
}
