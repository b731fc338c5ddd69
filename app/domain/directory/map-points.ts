/**
 * The district map's storefronts and stalls, sent to the page as one line each in a single string
 * (`kind x y microGridId businessId name`, tab-separated; businessId empty when vacant). About 1,500
 * points as objects cost the server more to serialize than the rest of the page (ADR 029); as one
 * string they are a single value for the loader's stream and are parsed once in the browser.
 */
export interface MapPoint {
  place: "storefront" | "stall";
  x: number;
  y: number;
  microGridId: number;
  businessId: number | null;
  name: string | null;
}

const clean = (name: string) => name.replace(/[\t\n\r]+/g, " ");

export function encodeMapPoints(points: MapPoint[]): string {
  return points
    .map(
      (p) =>
        `${p.place === "stall" ? "t" : "s"}\t${p.x}\t${p.y}\t${p.microGridId}\t${p.businessId ?? ""}\t${clean(p.name ?? "")}`,
    )
    .join("\n");
}

let last: { encoded: string; points: MapPoint[] } | undefined;

/** The points of `encodeMapPoints`; the last answer is kept (every render of one page asks again). */
export function decodeMapPoints(encoded: string): MapPoint[] {
  if (last?.encoded === encoded) return last.points;
  const points = encoded
    ? encoded.split("\n").map((line) => {
        const [kind, x, y, microGridId, businessId, name] = line.split("\t");
        return {
          place: kind === "t" ? ("stall" as const) : ("storefront" as const),
          x: Number(x),
          y: Number(y),
          microGridId: Number(microGridId),
          businessId: businessId ? Number(businessId) : null,
          name: businessId ? name : null,
        };
      })
    : [];
  last = { encoded, points };
  return points;
}
