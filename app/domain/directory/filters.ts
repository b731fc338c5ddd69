import { z } from "zod";
import { businessKinds } from "../../../db/schema/enums";
import { filterNames } from "./query-string";

/** A whole number from 1 to `max` from the query string (`fallback` when absent); `error` names what is wrong. */
const wholeNumber = (error: string, max: number, fallback: number) =>
  z.coerce.number({ error }).int({ error }).min(1, { error }).max(max, { error }).default(fallback);

/**
 * The filters and search of the directory, shared by /shops, /map and GET /api/v1/businesses.
 * The same names everywhere, so a filtered list is a shareable URL.
 */
export const directoryFilterSchema = z.object({
  q: z
    .string()
    .trim()
    .max(60, { error: "directory.errors.queryTooLong" })
    // eslint-disable-next-line no-control-regex
    .refine((q) => !/[\u0000-\u001f\u007f]/.test(q), { error: "security.controlChars" })
    .optional(),
  kind: z.enum(businessKinds, { error: "directory.errors.invalidKind" }).optional(),
  category: z
    .string()
    .regex(/^[a-z_]{1,30}$/, { error: "directory.errors.invalidCategory" })
    .optional(),
  street: z
    .string()
    .regex(/^ST\d{2}$/, { error: "directory.errors.invalidStreet" })
    .optional(),
  grid: z
    .string()
    .regex(/^G\d{1,2}$/, { error: "directory.errors.invalidGrid" })
    .optional(),
  microGrid: z
    .string()
    .regex(/^G\d{1,2}-\d{1,2}$/, { error: "directory.errors.invalidMicroGrid" })
    .optional(),
  plaque: z.enum(["recommended", "model_merchant", "any"], { error: "directory.errors.invalidPlaque" }).optional(),
  open: z.literal("now", { error: "directory.errors.invalidOpen" }).optional(),
  night: z.literal("1", { error: "directory.errors.invalidNight" }).optional(),
  /** `rating`: the best average first (businesses without reviews last), then as usual. */
  sort: z.literal("rating", { error: "directory.errors.invalidSort" }).optional(),
  page: wholeNumber("directory.errors.invalidPage", 10_000, 1),
  perPage: wholeNumber("directory.errors.invalidPerPage", 100, 20),
});

export type DirectoryFilters = z.infer<typeof directoryFilterSchema>;
export { filterNames, filtersToSearch } from "./query-string";

export type FilterParseResult =
  | { ok: true; filters: DirectoryFilters }
  | { ok: false; parameter: string; message: string; filters: DirectoryFilters };

/**
 * Reads filters from a query string. Empty values count as absent (a form sends `kind=`).
 * Unknown parameters are ignored; the first invalid one is named, and the rest still apply.
 */
export function parseDirectoryFilters(params: URLSearchParams): FilterParseResult {
  const raw: Record<string, string> = {};
  for (const name of filterNames) {
    const value = params.get(name);
    if (value !== null && value.trim() !== "") raw[name] = value;
  }
  const parsed = directoryFilterSchema.safeParse(raw);
  if (parsed.success) return { ok: true, filters: parsed.data };
  const issue = parsed.error.issues[0];
  const parameter = String(issue.path[0]);
  const { [parameter]: _dropped, ...rest } = raw;
  const fallback = directoryFilterSchema.safeParse(rest);
  return {
    ok: false,
    parameter,
    message: issue.message,
    filters: fallback.success ? fallback.data : directoryFilterSchema.parse({}),
  };
}

/** Splits a search into terms: whitespace (also the ideographic space) separates them. */
export function searchTerms(q: string | undefined): string[] {
  if (!q) return [];
  return [
    ...new Set(
      q
        .toLowerCase()
        .split(/[\s\u3000]+/)
        .filter(Boolean),
    ),
  ].slice(0, 5);
}
