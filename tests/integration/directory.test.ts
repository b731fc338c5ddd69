import { describe, expect, it } from "vitest";
import { buildAwards, SEED_PLAQUE_YEAR } from "../../db/seed/badges";
import { buildDistrict } from "../../db/seed/district";
import { parseDirectoryFilters, type DirectoryFilters } from "~/domain/directory/filters";
import { isOpenAt } from "~/domain/directory/hours";
import { searchDirectory, suggest } from "~/domain/directory/search.server";
import { pinyin } from "pinyin-pro";
import { useTestDatabase } from "../helpers/kit";

/**
 * Expected answers are computed here from the seed's own rows, in plain JavaScript, and compared
 * with what the SQL of the directory returns.
 */
const district = buildDistrict();
const shopIds = district.businesses.filter((b) => b.kind === "shop").map((b) => b.id);
const stallIds = district.businesses.filter((b) => b.kind === "stall").map((b) => b.id);
const awards = buildAwards({ shopIds, stallIds, adminId: "demo-admin" });
const currentAwards = awards.filter((a) => a.year === SEED_PLAQUE_YEAR && !a.revokedAt);

const byId = <T extends { id: number }>(rows: T[]) => new Map(rows.map((r) => [r.id, r]));
const storefronts = byId(district.storefronts);
const stalls = byId(district.stalls);
const streets = byId(district.streets);
const microGrids = byId(district.microGrids);
const grids = byId(district.grids);
const categories = new Map(district.categories.map((c) => [c.code, c]));

const model = district.businesses.map((b) => {
  const place = b.storefrontId ? storefronts.get(b.storefrontId)! : stalls.get(b.stallId!)!;
  const street = streets.get(place.streetId)!;
  const microGrid = microGrids.get(place.microGridId)!;
  const category = categories.get(b.categoryCode)!;
  return {
    ...b,
    street: street.code,
    microGrid: microGrid.code,
    grid: grids.get(microGrid.gridId)!.code,
    text: [b.name, category.nameZh, category.nameEn, street.nameZh, street.nameEn, b.description]
      .join(" ")
      .toLowerCase(),
    plaques: currentAwards.filter((a) => a.businessId === b.id).map((a) => a.kind),
  };
});

const filters = (query: string) => {
  const parsed = parseDirectoryFilters(new URLSearchParams(query));
  if (!parsed.ok) throw new Error(`bad filter ${parsed.parameter}`);
  return { ...parsed.filters, perPage: 100 } satisfies DirectoryFilters;
};

const database = useTestDatabase();

async function allCodes(query: string, now?: Date) {
  const codes: string[] = [];
  let total = 0;
  for (let page = 1; ; page++) {
    const result = await searchDirectory(database.db(), { ...filters(query), page }, now);
    total = result.total;
    codes.push(...result.items.map((i) => i.code));
    if (page >= result.pages) break;
  }
  expect(codes).toHaveLength(total);
  return codes.sort();
}
const expected = (predicate: (b: (typeof model)[number]) => boolean) =>
  model
    .filter(predicate)
    .map((b) => b.code)
    .sort();

describe("the directory's filters and search", () => {
  it("lists all 882 businesses: 754 shops and 128 stalls", async () => {
    expect((await searchDirectory(database.db(), filters(""))).total).toBe(882);
    expect((await searchDirectory(database.db(), filters("kind=shop"))).total).toBe(754);
    expect((await searchDirectory(database.db(), filters("kind=stall"))).total).toBe(128);
  });

  it.each(["面", "面馆", "茶", "钧瓷", "拉面馆", "路", "road"])(
    "finds every business whose text contains %s",
    async (q) => {
      const want = expected((b) => b.text.includes(q));
      expect(want.length).toBeGreaterThan(0);
      expect(await allCodes(`q=${encodeURIComponent(q)}`)).toEqual(want);
    },
  );

  it("requires every term of a mixed query", async () => {
    const want = expected((b) => b.text.includes("钧瓷") && b.text.includes("茶"));
    expect(want.length).toBeGreaterThan(0);
    expect(want.length).toBeLessThan(expected((b) => b.text.includes("钧瓷")).length);
    expect(await allCodes(`q=${encodeURIComponent("钧瓷 茶")}`)).toEqual(want);
    expect(await allCodes(`q=${encodeURIComponent("钧瓷\u3000茶")}`)).toEqual(want);
  });

  it("treats % and _ in a search as plain characters", async () => {
    expect((await searchDirectory(database.db(), filters("q=%25"))).total).toBe(0);
    expect((await searchDirectory(database.db(), filters("q=__"))).total).toBe(0);
  });

  it("filters by category, street, grid and micro-grid, alone and together", async () => {
    expect(await allCodes("category=food")).toEqual(expected((b) => b.categoryCode === "food"));
    expect(await allCodes("street=ST03")).toEqual(expected((b) => b.street === "ST03"));
    expect(await allCodes("grid=G5")).toEqual(expected((b) => b.grid === "G5"));
    expect(await allCodes("microGrid=G5-2")).toEqual(expected((b) => b.microGrid === "G5-2"));
    expect(await allCodes(`grid=G5&category=food&q=${encodeURIComponent("面")}`)).toEqual(
      expected((b) => b.grid === "G5" && b.categoryCode === "food" && b.text.includes("面")),
    );
  });

  it("filters by plaque: either kind, or one of them", async () => {
    const any = await allCodes("plaque=any");
    expect(any).toHaveLength(20);
    expect(any).toEqual(expected((b) => b.plaques.length > 0));
    expect(await allCodes("plaque=recommended")).toEqual(expected((b) => b.plaques.includes("recommended")));
    expect(await allCodes("plaque=model_merchant")).toEqual(expected((b) => b.plaques.includes("model_merchant")));
  });

  it("lists the night market", async () => {
    expect(await allCodes("night=1")).toEqual(expected((b) => b.nightOpensAt != null));
  });

  // Asia/Shanghai is UTC+8: 15:59Z is 23:59 there, 16:30Z is 00:30 the next day.
  it.each([
    ["2026-11-29T15:59:00Z", 23 * 60 + 59],
    ["2026-11-29T16:30:00Z", 30],
    ["2026-11-29T18:00:00Z", 120],
    ["2026-11-29T04:00:00Z", 12 * 60],
  ])("knows who is open at %s (night hours cross midnight)", async (iso, minute) => {
    const want = expected((b) =>
      isOpenAt(
        {
          dayOpensAt: b.dayOpensAt ?? null,
          dayClosesAt: b.dayClosesAt ?? null,
          nightOpensAt: b.nightOpensAt ?? null,
          nightClosesAt: b.nightClosesAt ?? null,
        },
        minute,
      ),
    );
    expect(await allCodes("open=now", new Date(iso))).toEqual(want);
  });

  it("is open after midnight when night hours cross it, and closed once they end", async () => {
    const night = model.find(
      (b) =>
        b.nightOpensAt != null && b.nightClosesAt != null && b.nightClosesAt < b.nightOpensAt && b.nightClosesAt >= 60,
    )!;
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 29, 16, 0) + minute * 60_000); // 00:00 Shanghai + minute
    const open = await allCodes(`open=now&q=${encodeURIComponent(night.name)}`, at(night.nightClosesAt! - 30));
    expect(open).toContain(night.code);
    const closed = await allCodes(`open=now&q=${encodeURIComponent(night.name)}`, at(night.nightClosesAt! + 1));
    expect(closed.includes(night.code)).toBe(
      night.dayOpensAt != null &&
        isOpenAt(
          {
            dayOpensAt: night.dayOpensAt,
            dayClosesAt: night.dayClosesAt ?? null,
            nightOpensAt: null,
            nightClosesAt: null,
          },
          night.nightClosesAt! + 1,
        ),
    );
  });

  it("puts plaque holders first among equal matches", async () => {
    const result = await searchDirectory(database.db(), filters(`q=${encodeURIComponent("面馆")}`));
    const holders = result.items.map((i) => i.plaques.length > 0);
    const firstNonHolder = holders.indexOf(false);
    expect(holders.slice(firstNonHolder).every((h) => !h)).toBe(true);
    expect(holders[0]).toBe(true); // S0001 老王烩面馆 holds this year's plaque
  });

  it.each(["路", "面", "茶", "jun", "JUN"])(
    "ranks the businesses whose name holds %s first, then plaque holders, then by code",
    async (typedQ) => {
      const q = typedQ.toLowerCase();
      const want = model
        .map((b) => ({ b, spelled: typed(b.name) }))
        .filter(({ b, spelled }) => b.text.includes(q) || spelled.full.includes(q) || spelled.initials.includes(q))
        .map(({ b, spelled }) => {
          const nameHolds =
            b.name.toLowerCase().includes(q) ||
            spelled.full.includes(q) ||
            spelled.initials.includes(q) ||
            b.code.toLowerCase() === q;
          return { code: b.code, hit: nameHolds ? 1 : 0, holder: b.plaques.length ? 1 : 0 };
        })
        .sort((a, b) => b.hit - a.hit || b.holder - a.holder || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
      expect(want.some((w) => w.hit) && want.some((w) => !w.hit), q).toBe(true);
      const result = await searchDirectory(database.db(), filters(`q=${encodeURIComponent(typedQ)}`));
      expect(result.total).toBe(want.length);
      expect(result.items.map((i) => i.code)).toEqual(want.slice(0, 100).map((w) => w.code));
    },
  );

  it("pages through results and reports the total past the last page", async () => {
    const first = await searchDirectory(database.db(), { ...filters("kind=stall"), perPage: 50, page: 1 });
    const third = await searchDirectory(database.db(), { ...filters("kind=stall"), perPage: 50, page: 3 });
    expect(first.pages).toBe(3);
    expect(third.items).toHaveLength(28);
    const beyond = await searchDirectory(database.db(), { ...filters("kind=stall"), perPage: 50, page: 9 });
    expect(beyond.items).toHaveLength(0);
    expect(beyond.total).toBe(128);
  });
});

/** A name as a shopper types it on a phone: toneless pinyin, and its initials (each character by its usual reading). */
function typed(name: string) {
  const syllables = [...name.toLowerCase()].flatMap((ch) => {
    const syllable = pinyin(ch, { toneType: "none", v: true });
    if (/^[a-z]+$/.test(syllable) && syllable !== ch) return [syllable];
    return /^[a-z0-9]$/.test(ch) ? [ch] : [];
  });
  return { full: syllables.join(""), initials: syllables.map((s) => s[0]).join("") };
}

describe("searching as people type in China", () => {
  it("finds 老王烩面馆 by its initials, its pinyin and its code, and ranks it first", async () => {
    for (const q of ["lwhm", "LWHM", "laowang", "lao wang", "huimianguan", "S0001", "s0001"]) {
      const result = await searchDirectory(database.db(), filters(`q=${encodeURIComponent(q)}`));
      expect(result.items[0]?.name, q).toBe("老王烩面馆");
    }
  });

  it("matches exactly the businesses whose name spells the term, in pinyin or initials", async () => {
    for (const q of ["mian", "mg", "zhang", "lv", "cha"]) {
      const want = expected((b) => {
        const spelled = typed(b.name);
        return (
          b.text.includes(q) ||
          spelled.full.includes(q) ||
          spelled.initials.includes(q) ||
          b.code.toLowerCase().includes(q)
        );
      });
      expect(want.length, q).toBeGreaterThan(0);
      expect(await allCodes(`q=${q}`), q).toEqual(want);
    }
  });

  it("suggests names, categories and streets as the shopper types", async () => {
    expect((await suggest(database.db(), "lwhm")).names[0]).toBe("老王烩面馆");
    expect((await suggest(database.db(), "S0001")).names[0]).toBe("老王烩面馆");
    const street = district.streets.find((s) => s.nameZh === "禹王大道")!;
    expect((await suggest(database.db(), "ywdd")).streets).toContainEqual({ zh: street.nameZh, en: street.nameEn });
    const category = district.categories[0];
    const byInitials = await suggest(database.db(), typed(category.nameZh).initials);
    expect(byInitials.categories).toContainEqual({ zh: category.nameZh, en: category.nameEn });
    expect(await suggest(database.db(), "  ")).toEqual({ names: [], categories: [], streets: [] });
  });

  it("spells a renamed business anew", async () => {
    const { businesses } = await import("../../db/schema");
    const { eq } = await import("drizzle-orm");
    await database.db().update(businesses).set({ name: "鑫源五金" }).where(eq(businesses.code, "S0700"));
    expect((await searchDirectory(database.db(), filters("q=xywj"))).items.map((i) => i.code)).toEqual(["S0700"]);
    expect((await searchDirectory(database.db(), filters("q=xinyuan"))).items.map((i) => i.code)).toContain("S0700");
  });
});

describe("filter parameters", () => {
  it("builds links from the same names the schema checks", async () => {
    const { directoryFilterSchema, filterNames } = await import("~/domain/directory/filters");
    expect([...filterNames].sort()).toEqual(Object.keys(directoryFilterSchema.shape).sort());
  });

  it("names the first invalid parameter and keeps the others", () => {
    const result = parseDirectoryFilters(new URLSearchParams("kind=boat&grid=G2"));
    expect(result).toMatchObject({
      ok: false,
      parameter: "kind",
      message: "directory.errors.invalidKind",
      filters: { grid: "G2" },
    });
    expect(parseDirectoryFilters(new URLSearchParams("perPage=1000"))).toMatchObject({
      ok: false,
      parameter: "perPage",
    });
    expect(parseDirectoryFilters(new URLSearchParams("page=0"))).toMatchObject({ ok: false, parameter: "page" });
    expect(parseDirectoryFilters(new URLSearchParams("kind=&q="))).toMatchObject({ ok: true });
  });
});
