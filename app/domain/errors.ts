import { DomainError } from "../lib/errors";

/** A refusal the user should read (defined in app/lib/errors.ts, so the HTTP helpers can answer it). */
export { DomainError, isDomainError } from "../lib/errors";

export const forbidden = () => new DomainError("errors.forbidden", 403);
export const notFound = () => new DomainError("errors.notFound", 404);
