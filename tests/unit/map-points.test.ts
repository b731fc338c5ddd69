import { describe, expect, it } from "vitest";
import { decodeMapPoints, encodeMapPoints, type MapPoint } from "~/domain/directory/map-points";

describe("the map's points as one string", () => {
  it("round-trips storefronts and stalls, vacant or not, and keeps a name's tabs and newlines out of the format", () => {
    const points: MapPoint[] = [
      { place: "storefront", x: 12.5, y: 300, microGridId: 3, businessId: 7, name: "老王烩面馆（建设路店）" },
      { place: "storefront", x: 40, y: 301.2, microGridId: 3, businessId: null, name: null },
      { place: "stall", x: 460, y: 319.6, microGridId: 8, businessId: 755, name: "赵姐\t凉皮\n夜市" },
    ];
    const encoded = encodeMapPoints(points);
    expect(encoded.split("\n")).toHaveLength(3);
    expect(decodeMapPoints(encoded)).toEqual([points[0], points[1], { ...points[2], name: "赵姐 凉皮 夜市" }]);
    // The same string gives the same array (the page's layers are memoized on it).
    expect(decodeMapPoints(encoded)).toBe(decodeMapPoints(encoded));
    expect(decodeMapPoints("")).toEqual([]);
  });
});
