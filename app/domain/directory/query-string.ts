/**
 * The directory's filters in a URL, without zod, so that pages can build links in the browser
 * without shipping the schema (app/domain/directory/filters.ts checks them on the server).
 */
export const filterNames = [
  "q",
  "kind",
  "category",
  "street",
  "grid",
  "microGrid",
  "plaque",
  "open",
  "night",
  "sort",
  "page",
  "perPage",
] as const;
export type FilterName = (typeof filterNames)[number];

/** The filters as a query string (defaults left out), for links that keep the current filters. */
export function filtersToSearch(
  filters: Partial<Record<FilterName, string | number | undefined>>,
  overrides: Partial<Record<FilterName, string | number | undefined>> = {},
): string {
  const params = new URLSearchParams();
  const merged = { ...filters, ...overrides } as Record<string, unknown>;
  for (const name of filterNames) {
    const value = merged[name];
    if (value === undefined || value === null || value === "") continue;
    if (name === "page" && Number(value) === 1) continue;
    if (name === "perPage" && Number(value) === 20) continue;
    params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}
