/**
 * A refusal the user should read: `code` is a message key in app/i18n (errors.*), `field` names
 * the form field it belongs to. Routes turn it into a 400/403/404 page or form message.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly status: 400 | 403 | 404 | 409 | 429 = 400,
    readonly field?: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(code);
    this.name = "DomainError";
  }
}

export const forbidden = () => new DomainError("errors.forbidden", 403);
export const notFound = () => new DomainError("errors.notFound", 404);

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError || (error as { name?: string } | null)?.name === "DomainError";
}
