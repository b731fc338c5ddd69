/**
 * A refusal the user should read: `code` is a message key in app/i18n (errors.*), `field` names
 * the form field it belongs to. Routes turn it into a 400/403/404 page or form message.
 *
 * The domain throws it (app/domain/errors.ts re-exports it with its shorthands); it lives here,
 * below the domain, so the HTTP helpers in app/lib can answer it without importing the domain.
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

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError || (error as { name?: string } | null)?.name === "DomainError";
}
