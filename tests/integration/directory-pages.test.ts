import { and, count, eq, inArray, isNotNull } from "drizzle-orm";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, awards, businesses, gridContacts, plaqueRounds } from "../../db/schema";
import { DEMO_USERS } from "../../db/seed/demo";
import { verifyPlaque } from "~/domain/badges/verify.server";
import {
  businessPage,
  readBusinessPhoto,
  replaceBusinessPhoto,
  updateBusinessProfile,
} from "~/domain/directory/business.server";
import { cachedDirectoryRead } from "~/domain/directory/cache.server";
import { directoryFilterSchema } from "~/domain/directory/filters";
import { searchDirectory } from "~/domain/directory/search.server";
import { directoryEtag } from "~/domain/directory/open-data.server";
import { districtMap } from "~/domain/directory/map.server";
import { businessProfileSchema } from "~/domain/directory/schemas";
import { useTestDatabase } from "../helpers/kit";
import { smallPng } from "../helpers/photos";

const kit = useTestDatabase();
const { db, demo: actor, businessId: idOf } = kit;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "xq-photos-"));
beforeAll(() => {
  process.env.XQ_DATA_DIR = dataDir;
});
afterAll(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("the shop page's phone", () => {
  it("shows a published number with a call link to everyone", async () => {
    const id = await idOf("S0001");
    await db().update(businesses).set({ phone: "13912345678", phonePublic: true }).where(eq(businesses.id, id));
    const page = await businessPage(db(), null, id);
    expect(page.phone).toEqual({ display: "13912345678", callable: true, masked: false });
  });

  it("masks an unpublished number for the public, shows it to the owner, officers and staff", async () => {
    const id = await idOf("S0006");
    await db().update(businesses).set({ phone: "13712345678", phonePublic: false }).where(eq(businesses.id, id));
    expect((await businessPage(db(), null, id)).phone).toEqual({
      display: "137****5678",
      callable: false,
      masked: true,
    });
    expect((await businessPage(db(), await actor("resident"), id)).phone?.display).toBe("137****5678");
    expect((await businessPage(db(), await actor("shopOwner"), id)).phone?.display).toBe("137****5678");
    for (const who of ["president", "moderator", "admin", "gridWorker"] as const) {
      expect((await businessPage(db(), await actor(who), id)).phone?.display).toBe("13712345678");
    }
  });

  it("lists the micro-grid's leader and workers with their public phones", async () => {
    const page = await businessPage(db(), null, await idOf("S0001"));
    expect(page.contacts.filter((c) => c.role === "leader")).toHaveLength(1);
    expect(page.contacts.length).toBeGreaterThanOrEqual(2);
    for (const c of page.contacts) expect(c.phone).toMatch(/^1[3-9]\d{9}$/);
  });
});

describe("the shop page's reads shared by every viewer (directory read cache)", () => {
  it("shows a write to the business, its plaques or its grid's contacts at the next read", async () => {
    const id = await idOf("S0001");
    const before = await businessPage(db(), null, id);
    expect(await businessPage(db(), null, id)).toEqual(before); // answered from the cache
    await db().update(businesses).set({ description: "刚改的介绍" }).where(eq(businesses.id, id));
    expect((await businessPage(db(), null, id)).description).toBe("刚改的介绍");

    const [award] = await db().select().from(awards).where(eq(awards.businessId, id)).limit(1);
    if (award) {
      await db().update(awards).set({ revokedAt: new Date() }).where(eq(awards.plaqueCode, award.plaqueCode));
      const page = await businessPage(db(), null, id);
      expect(page.plaques.find((p) => p.code === award.plaqueCode)?.state).toBe("revoked");
      await db().update(awards).set({ revokedAt: award.revokedAt }).where(eq(awards.plaqueCode, award.plaqueCode));
      expect(await businessPage(db(), null, id)).toMatchObject({ plaques: before.plaques });
    }

    const leader = before.contacts.find((c) => c.role === "leader")!;
    await db().update(gridContacts).set({ name: "新组长" }).where(eq(gridContacts.phone, leader.phone));
    expect((await businessPage(db(), null, id)).contacts.map((c) => c.name)).toContain("新组长");
    await db().update(gridContacts).set({ name: leader.name }).where(eq(gridContacts.phone, leader.phone));
    await db().update(businesses).set({ description: before.description }).where(eq(businesses.id, id));
  });

  it("supersedes last year's plaque the moment a round's review closes, and sees a change to the round's dates at once, on the shop page and in the list", async () => {
    // The shared reads are kept per standing epoch (docs/decisions/053), not per minute: both
    // reads below fall in the same minute, the first before the 2032 review closes, the second after.
    const id = await idOf("S0002");
    const closes = new Date("2032-06-15T04:00:30Z");
    const [round] = await db()
      .insert(plaqueRounds)
      .values({
        kind: "recommended",
        year: 2032,
        criteria: "测试评选",
        nominationOpensAt: new Date("2032-05-01T00:00:00Z"),
        nominationClosesAt: new Date("2032-05-20T00:00:00Z"),
        reviewOpensAt: new Date("2032-05-01T00:00:00Z"),
        reviewClosesAt: closes,
      })
      .returning();
    const [last] = await db()
      .insert(awards)
      .values({ businessId: id, kind: "recommended", year: 2031, issuer: "测试支部", plaqueCode: `T${Date.now()}31` })
      .returning();
    const [next] = await db()
      .insert(awards)
      .values({
        businessId: id,
        kind: "recommended",
        year: 2032,
        issuer: "测试支部",
        plaqueCode: `T${Date.now()}32`,
        roundId: round.id,
      })
      .returning();
    // On the shop page each plaque has a state; the list shows the current ones.
    const listed = async (when: Date) => {
      const found = await searchDirectory(db(), directoryFilterSchema.parse({ q: "S0002" }), when);
      return found.items.find((item) => item.id === id)!.plaques.map((p) => p.year);
    };
    const stateAt = async (when: Date) => {
      const states = Object.fromEntries(
        (await businessPage(db(), null, id, when)).plaques.map((p) => [p.year, p.state]),
      );
      const current = Object.keys(states)
        .map(Number)
        .filter((year) => year >= 2031 && states[year] === "current");
      expect((await listed(when)).filter((year) => year >= 2031).sort()).toEqual(current.sort());
      return states;
    };
    try {
      expect(await stateAt(new Date(closes.getTime() - 10_000))).toMatchObject({ 2031: "current", 2032: "current" });
      expect(await stateAt(new Date(closes.getTime() + 10_000))).toMatchObject({ 2031: "superseded", 2032: "current" });
      // The open-data API's validator changes with it: a client revalidating gets the new list.
      expect(await directoryEtag(db(), new Date(closes.getTime() + 10_000))).not.toBe(
        await directoryEtag(db(), new Date(closes.getTime() - 10_000)),
      );
      // Staff move the review's close an hour later: last year's plaque is current again.
      await db()
        .update(plaqueRounds)
        .set({ reviewClosesAt: new Date(closes.getTime() + 3_600_000) })
        .where(eq(plaqueRounds.id, round.id));
      expect(await stateAt(new Date(closes.getTime() + 10_000))).toMatchObject({ 2031: "current", 2032: "current" });
    } finally {
      await db()
        .delete(awards)
        .where(inArray(awards.id, [last.id, next.id]));
      await db().delete(plaqueRounds).where(eq(plaqueRounds.id, round.id));
    }
  });

  it("works out whether the business is open at each request, from one shared read, on the shop page and in the list", async () => {
    const id = await idOf("S0003");
    const before = await db().select().from(businesses).where(eq(businesses.id, id));
    // Open 10:00–11:00 in the district (UTC+8), no night market.
    await db()
      .update(businesses)
      .set({ dayOpensAt: 600, dayClosesAt: 660, nightOpensAt: null, nightClosesAt: null })
      .where(eq(businesses.id, id));
    try {
      const filters = directoryFilterSchema.parse({ q: "S0003" });
      const at = async (utc: string) => {
        const page = await businessPage(db(), null, id, new Date(utc));
        const found = await searchDirectory(db(), filters, new Date(utc));
        expect(found.items.find((item) => item.id === id)!.openNow).toBe(page.openNow);
        return page;
      };
      expect((await at("2031-06-15T01:59:30Z")).openNow).toBe(false);
      expect((await at("2031-06-15T02:00:00Z")).openNow).toBe(true);
      expect((await at("2031-06-15T02:59:59Z")).openNow).toBe(true);
      expect((await at("2031-06-15T03:00:00Z")).openNow).toBe(false);
      // Asking for businesses open now still follows the minute.
      const openNow = directoryFilterSchema.parse({ q: "S0003", open: "now" });
      const openIds = async (utc: string) =>
        (await searchDirectory(db(), openNow, new Date(utc))).items.map((item) => item.id);
      expect(await openIds("2031-06-15T02:59:59Z")).toContain(id);
      expect(await openIds("2031-06-15T03:00:00Z")).not.toContain(id);
    } finally {
      await db().update(businesses).set(before[0]).where(eq(businesses.id, id));
    }
  });

  it("keeps a whole district's businesses, on a shelf of their own that searches do not empty", async () => {
    const reads = { business: 0, search: 0 };
    const business = (n: number) =>
      cachedDirectoryRead(db(), `test-business:${n}`, async () => ++reads.business, "businesses");
    const search = (n: number) => cachedDirectoryRead(db(), `test-search:${n}`, async () => ++reads.search);
    for (let n = 0; n < 1_500; n++) await business(n);
    for (let n = 0; n < 600; n++) await search(n); // more searches than their shelf holds
    expect(reads).toEqual({ business: 1_500, search: 600 });
    for (let n = 0; n < 1_500; n++) await business(n);
    expect(reads.business).toBe(1_500); // every business still there
    await search(0); // the oldest searches made room
    expect(reads.search).toBe(601);
  });

  it("works out the phone per viewer, whoever asked first", async () => {
    const id = await idOf("S0006");
    await db().update(businesses).set({ phone: "13712340000", phonePublic: false }).where(eq(businesses.id, id));
    const officer = await actor("president");
    expect((await businessPage(db(), officer, id)).phone?.display).toBe("13712340000");
    expect((await businessPage(db(), null, id)).phone?.display).toBe("137****0000");
    expect((await businessPage(db(), await actor("resident"), id)).phone?.display).toBe("137****0000");
    expect((await businessPage(db(), officer, id)).phone?.display).toBe("13712340000");
    expect((await businessPage(db(), null, id)).canEdit).toBe(false);
  });
});

describe("editing a business", () => {
  const input = businessProfileSchema.parse({
    description: "新的介绍：手工烩面。",
    phone: "0374-812 3456",
    phonePublic: "on",
    dayOpensAt: "07:30",
    dayClosesAt: "14:00",
    nightOpensAt: "17:30",
    nightClosesAt: "01:30",
  });

  it("lets the owner edit its own business, with an audit line", async () => {
    const id = await idOf("S0001");
    await updateBusinessProfile(db(), await actor("shopOwner"), id, input);
    const [row] = await db().select().from(businesses).where(eq(businesses.id, id));
    expect(row).toMatchObject({
      description: "新的介绍：手工烩面。",
      phone: "03748123456",
      phonePublic: true,
      dayOpensAt: 450,
      nightClosesAt: 90,
    });
    expect(row.searchText).toContain("手工烩面");
    const [line] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "business.profile_updated"), eq(auditLog.subjectId, String(id))));
    expect(line.actorId).toBe(DEMO_USERS.shopOwner.id);
  });

  it("refuses everyone who is not its owner, staff or an administrator, and writes nothing", async () => {
    const id = await idOf("S0002");
    const [before] = await db().select().from(businesses).where(eq(businesses.id, id));
    const auditBefore = (await db().select({ n: count() }).from(auditLog))[0].n;
    for (const who of ["shopOwner", "resident", "stallOwner", "moderator", "mediator", "gridWorker"] as const) {
      await expect(updateBusinessProfile(db(), await actor(who), id, input)).rejects.toMatchObject({ status: 403 });
    }
    await expect(updateBusinessProfile(db(), null, id, input)).rejects.toMatchObject({ status: 403 });
    await expect(replaceBusinessPhoto(db(), await actor("shopOwner"), id, png)).rejects.toMatchObject({ status: 403 });
    const [after] = await db().select().from(businesses).where(eq(businesses.id, id));
    expect(after).toEqual(before);
    expect((await db().select({ n: count() }).from(auditLog))[0].n).toBe(auditBefore);
  });

  it("lets an administrator edit any business", async () => {
    await expect(
      updateBusinessProfile(db(), await actor("admin"), await idOf("S0002"), input),
    ).resolves.toBeUndefined();
  });

  it("names each bad field", () => {
    const errors = (value: object) =>
      Object.fromEntries(
        (businessProfileSchema.safeParse(value).error?.issues ?? []).map((i) => [String(i.path[0]), i.message]),
      );
    expect(errors({ description: "x".repeat(501), dayOpensAt: "08:00", dayClosesAt: "20:00" })).toEqual({
      description: "directory.errors.descriptionTooLong",
    });
    expect(errors({ dayOpensAt: "25:00", dayClosesAt: "20:00" })).toEqual({
      dayOpensAt: "directory.errors.invalidTime",
    });
    expect(errors({ dayOpensAt: "08:00" })).toEqual({ dayClosesAt: "directory.errors.hoursIncomplete" });
    expect(errors({})).toEqual({ dayOpensAt: "directory.errors.hoursMissing" });
    expect(errors({ phone: "12345", dayOpensAt: "08:00", dayClosesAt: "20:00" })).toEqual({
      phone: "directory.errors.phoneOrLandlineInvalid",
    });
  });
});

let png: Uint8Array;
beforeAll(async () => {
  png = new Uint8Array(await smallPng());
});

describe("shop photos", () => {
  it("stores a real image under the data folder and serves it with its type", async () => {
    const id = await idOf("S0001");
    const name = await replaceBusinessPhoto(db(), await actor("shopOwner"), id, png);
    // Re-encoded (app/domain/photos.server.ts): the page links the 640-wide WebP.
    expect(name).toMatch(new RegExp(`^${id}-[0-9a-f]{16}-640\\.webp$`));
    expect(fs.existsSync(path.join(dataDir, "uploads", "businesses", name))).toBe(true);
    expect((await readBusinessPhoto(name))?.type).toBe("image/webp");
    expect(await readBusinessPhoto("../../etc/passwd")).toBeNull();
  });

  it("refuses what is not a picture, or too large, and keeps the old photo", async () => {
    const id = await idOf("S0001");
    const [before] = await db()
      .select({ photoPath: businesses.photoPath })
      .from(businesses)
      .where(eq(businesses.id, id));
    const owner = await actor("shopOwner");
    await expect(
      replaceBusinessPhoto(db(), owner, id, new TextEncoder().encode("<svg onload=alert(1)>")),
    ).rejects.toMatchObject({
      code: "directory.errors.photoType",
    });
    const huge = new Uint8Array(2 * 1024 * 1024 + 1);
    huge.set(png);
    await expect(replaceBusinessPhoto(db(), owner, id, huge)).rejects.toMatchObject({
      code: "directory.errors.photoTooLarge",
    });
    await expect(replaceBusinessPhoto(db(), owner, id, new Uint8Array())).rejects.toMatchObject({
      code: "directory.errors.photoEmpty",
    });
    const [after] = await db()
      .select({ photoPath: businesses.photoPath })
      .from(businesses)
      .where(eq(businesses.id, id));
    expect(after).toEqual(before);
  });
});

describe("plaque verification", () => {
  it("tells current, expired, revoked and not genuine apart", async () => {
    const all = await db().select().from(awards);
    const current = all.find((a) => a.year === 2026 && !a.revokedAt)!;
    const superseded = all.find((a) => a.year === 2025 && !a.revokedAt)!;
    const revoked = all.find((a) => a.revokedAt)!;
    expect((await verifyPlaque(db(), current.plaqueCode))?.verdict).toBe("current");
    expect((await verifyPlaque(db(), current.plaqueCode.toUpperCase()))?.verdict).toBe("current");
    expect((await verifyPlaque(db(), superseded.plaqueCode))?.verdict).toBe("superseded");
    expect(await verifyPlaque(db(), revoked.plaqueCode)).toMatchObject({
      verdict: "revoked",
      revokeReason: expect.any(String),
    });
    expect(await verifyPlaque(db(), "0".repeat(26))).toBeNull();
    expect(await verifyPlaque(db(), "'; drop table awards; --")).toBeNull();
  });

  it("gives every plaque a code of at least 96 bits", async () => {
    const codes = (await db().select({ code: awards.plaqueCode }).from(awards)).map((a) => a.code);
    for (const code of codes) expect(code.length * 5).toBeGreaterThanOrEqual(128);
    expect(new Set(codes).size).toBe(codes.length);
    expect((await db().select({ n: count() }).from(awards).where(isNotNull(awards.revokedAt)))[0].n).toBe(1);
  });
});

describe("the district map", () => {
  it("has 8 grids in their colours, 32 micro-grids with contacts, 19 streets, every storefront and stall, and the community's places", async () => {
    const map = await districtMap(db(), directoryFilterSchema.parse({}));
    expect(map.grids).toHaveLength(8);
    expect(new Set(map.grids.map((g) => g.colour)).size).toBe(8);
    expect(map.grids.flatMap((g) => g.microGrids)).toHaveLength(32);
    for (const mg of map.grids.flatMap((g) => g.microGrids)) expect(mg.contacts.length).toBeGreaterThanOrEqual(2);
    expect(map.streets).toHaveLength(19);
    expect(map.points.filter((p) => p.place === "storefront")).toHaveLength(1370);
    expect(map.points.filter((p) => p.place === "storefront" && p.businessId === null)).toHaveLength(616);
    expect(map.points.filter((p) => p.place === "stall")).toHaveLength(128);
    expect(new Set(map.places.map((p) => p.kind))).toEqual(
      new Set(["service_hall", "rest_stop", "library", "studio", "market"]),
    );
  });

  it("marks the businesses that match the filters", async () => {
    const map = await districtMap(db(), directoryFilterSchema.parse({ plaque: "any" }));
    expect(map.matchingCount).toBe(20);
    expect(map.points.filter((p) => p.matches)).toHaveLength(20);
    const inGrid = await districtMap(db(), directoryFilterSchema.parse({ plaque: "any", grid: "G5" }));
    const g5 = inGrid.grids.find((g) => g.code === "G5")!;
    expect(g5.microGrids.reduce((sum, mg) => sum + mg.matchingCount, 0)).toBe(inGrid.matchingCount);
  });
});

describe("the directory after a write", () => {
  it("shows a renamed business at once (the cached directory is invalidated by the write)", async () => {
    const { searchDirectory } = await import("~/domain/directory/search.server");
    const filters = directoryFilterSchema.parse({ q: "试验新店名" });
    expect((await searchDirectory(db(), filters)).total).toBe(0);
    await db().update(businesses).set({ name: "试验新店名" }).where(eq(businesses.code, "S0300"));
    expect((await searchDirectory(db(), filters)).items.map((i) => i.code)).toEqual(["S0300"]);
    const map = await districtMap(db(), directoryFilterSchema.parse({ q: "试验新店名" }));
    expect(map.matchingCount).toBe(1);
  });
});

describe("directory change notifications", () => {
  it("announce each new directory version on commit, and nothing for a rolled-back write", async () => {
    const { cacheVersions } = await import("../../db/schema");
    const versionNow = async () =>
      (
        await db().select({ v: cacheVersions.version }).from(cacheVersions).where(eq(cacheVersions.name, "directory"))
      )[0].v;
    const heard: number[] = [];
    let listened = 0;
    const unlisten = await kit.database.listen(
      "xq_directory",
      (payload) => heard.push(Number(payload)),
      () => listened++,
    );
    try {
      await expect.poll(() => listened).toBeGreaterThan(0);
      const before = await versionNow();
      await db()
        .transaction(async (tx) => {
          await tx.update(businesses).set({ description: "不会留下" }).where(eq(businesses.code, "S0301"));
          throw new Error("roll back");
        })
        .catch(() => {});
      await db().update(businesses).set({ description: "通知测试" }).where(eq(businesses.code, "S0301"));
      const after = await versionNow();
      expect(after).toBe(before + 1);
      await expect.poll(() => heard).toEqual([after]);
    } finally {
      await unlisten();
    }
  });
});

describe("GET /api/v1/businesses revalidation", () => {
  const get = async (etag?: string) => {
    const { loader } = await import("~/routes/api.v1.businesses._index");
    const request = new Request(`http://localhost/api/v1/businesses?q=${encodeURIComponent("面")}`, {
      headers: etag ? { "if-none-match": etag } : {},
    });
    return await loader({ request, context: { db: db(), locale: "en" }, params: {} } as never);
  };

  it("answers 304 to its own ETag until a write changes the directory, then the new list", async () => {
    // The server follows the version in memory; the answers must be right with and without that.
    const { followDirectoryVersion } = await import("~/lib/directory-version.server");
    const { createLogger } = await import("~/lib/log.server");
    for (const followed of [false, true]) {
      if (followed) {
        const version = followDirectoryVersion(kit.database, createLogger("silent"));
        await expect.poll(() => version.current()).toBeDefined();
      }
      const first = await get();
      expect(first.status).toBe(200);
      const etag = first.headers.get("etag")!;
      expect(etag).toMatch(/^W\/"d\d+-e\d+-m\d+"$/);
      expect(first.headers.get("cache-control")).toBe("public, no-cache");
      const again = await get(etag);
      expect(again.status).toBe(304);
      expect(await again.text()).toBe("");

      const newName = followed ? "面面俱到新店" : "面面新店名";
      await db().update(businesses).set({ name: newName }).where(eq(businesses.code, "S0302"));
      // On a Postgres server the in-memory version follows the commit's notification a moment later.
      await expect.poll(async () => (await get(etag)).status).toBe(200);
      const after = await get(etag);
      expect(after.headers.get("etag")).not.toBe(etag);
      const body = (await after.json()) as { items: { name: string }[] };
      expect(body.items.map((i) => i.name)).toContain(newName);
    }
  });
});
