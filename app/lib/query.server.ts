/**
 * A GET form sends every field, so a filter form leaves `?q=面&kind=&street=&grid=…` behind. The
 * address a person shares or bookmarks should hold only what they chose: the same address without
 * the empty parameters, or null when there are none to drop.
 */
export function withoutEmptyParams(url: URL): string | null {
  const kept = new URLSearchParams();
  let dropped = false;
  for (const [name, value] of url.searchParams) {
    if (value.trim() === "") dropped = true;
    else kept.append(name, value);
  }
  if (!dropped) return null;
  const search = kept.toString();
  return url.pathname + (search ? `?${search}` : "");
}
