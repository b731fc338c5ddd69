import { and, count, eq, isNull, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  auditLog,
  awards,
  businessMembers,
  businesses,
  gridContacts,
  microGrids,
  rosterImports,
  storefronts,
  streets,
} from "../../db/schema";
import { verifyPlaque } from "~/domain/badges/verify.server";
import { parseDirectoryFilters } from "~/domain/directory/filters";
import { districtMap } from "~/domain/directory/map.server";
import { searchDirectory } from "~/domain/directory/search.server";
import { listGridContacts, setGridContacts } from "~/domain/roster/grids.server";
import { gridContactsSchema } from "~/domain/roster/schemas";
import { emptyRow } from "~/domain/roster/columns";
import { readRosterFile } from "~/domain/roster/read.server";
import {
  addBusiness,
  closeBusiness,
  confirmRosterImport,
  editBusiness,
  parseHours,
  rosterCsv,
  rosterRows,
  rosterXlsx,
  startRosterImport,
  type PlannedRow,
} from "~/domain/roster/roster.server";
import { useTestDatabase } from "../helpers/kit";
import { byLine, enc, ROSTER_HEADER as header, rosterTools, xlsx } from "../helpers/roster";

const kit = useTestDatabase();
const { db, demo: actor } = kit;
const { admin, vacantStorefronts, uploadRoster, dryRun } = rosterTools(kit);

/** Everything an import could change, to compare before and after. */
async function snapshot() {
  const rows = await db().select().from(businesses).orderBy(businesses.id);
  const [audit] = await db().select({ n: count() }).from(auditLog);
  return { rows: rows.map(({ searchText, ...b }) => b), audit: audit.n };
}

describe("reading roster files", () => {
  it("refuses an empty file, a file over 5 MB, a file that is neither CSV nor XLSX, and one without a header", async () => {
    await expect(readRosterFile(new Uint8Array())).rejects.toMatchObject({ code: "roster.errors.empty" });
    await expect(readRosterFile(new Uint8Array(5 * 1024 * 1024 + 1).fill(0x41))).rejects.toMatchObject({
      code: "roster.errors.tooLarge",
    });
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    await expect(readRosterFile(png)).rejects.toMatchObject({ code: "roster.errors.fileType" });
    await expect(readRosterFile(enc("hello,world\n1,2\n"))).rejects.toMatchObject({ code: "roster.errors.noHeader" });
    await expect(readRosterFile(enc(`${header}\n\n,,,\n`))).rejects.toMatchObject({ code: "roster.errors.noRows" });
  });

  it("refuses a bad file without writing anything", async () => {
    const before = await snapshot();
    await expect(uploadRoster("x.png", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0]))).rejects.toMatchObject({
      status: 400,
    });
    expect(await snapshot()).toEqual(before);
    expect((await db().select({ n: count() }).from(rosterImports))[0].n).toBe(0);
  });

  it("reads a GB18030 CSV (what Excel in China saves) and a CSV with a BOM the same way", async () => {
    const text = `${header}\n测试面馆,门店,美食,建设路,1,,,,,,,\n`;
    const gbk = new Uint8Array([...new TextEncoder().encode("")]);
    expect(gbk.length).toBe(0);
    // 名称 in GB18030: C3FB B3C6; the rest of the header is checked through the BOM file.
    const gbHeader = new Uint8Array([
      0xc3, 0xfb, 0xb3, 0xc6, 0x2c, 0xc0, 0xe0, 0xd0, 0xcd, 0x2c, 0xc0, 0xe0, 0xb1, 0xf0, 0x0a, 0xb2, 0xe2, 0x2c, 0xc3,
      0xc5, 0xb5, 0xea, 0x2c, 0x61, 0x0a,
    ]);
    const gbRows = await readRosterFile(gbHeader);
    expect(gbRows[0].cells).toMatchObject({ name: "测", kind: "门店", category: "a" });
    const bomRows = await readRosterFile(enc(`\uFEFF${text}`));
    expect(bomRows[0].cells).toMatchObject({ name: "测试面馆", kind: "门店", street: "建设路", number: "1" });
    expect(bomRows[0].line).toBe(2);
  });

  it("reads hours in the forms people write them", () => {
    expect(parseHours("08:00-21:00")).toEqual([[480, 1260]]);
    expect(parseHours("8:00~21:00")).toEqual([[480, 1260]]);
    expect(parseHours("10:00-14:00, 17:00-次日01:00")).toEqual([
      [600, 840],
      [1020, 60],
    ]);
    expect(parseHours("10:00-14:00 17:00-24:00")).toEqual([
      [600, 840],
      [1020, 0],
    ]);
    expect(parseHours("")).toEqual([]);
    expect(parseHours("早八晚九")).toBeNull();
    expect(parseHours("25:00-26:00")).toBeNull();
  });
});

describe("the dry run and its confirmation", () => {
  it("writes cells that a spreadsheet would run as formulas as text in the CSV, and imports them back unchanged", async () => {
    const [header, ...rows] = await rosterRows(db(), await admin());
    const column = header.indexOf("负责人");
    expect(column).toBeGreaterThanOrEqual(0);
    const row = [...rows[0]];
    row[column] = '=HYPERLINK("http://evil.example","点我")';
    const csv = rosterCsv([header, row]);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""点我"")"`);
    expect(csv).not.toMatch(/(^|,)"?=/m);
    const read = await readRosterFile(enc(csv));
    expect(read[0].cells.ownerName).toBe('=HYPERLINK("http://evil.example","点我")');
  });

  it("exports the roster as CSV and XLSX that import back with every row unchanged", async () => {
    const before = await snapshot();
    const rows = await rosterRows(db(), await admin());
    expect(rows).toHaveLength(1 + 882);
    for (const [name, bytes] of [
      ["roster.csv", enc(rosterCsv(rows))],
      ["roster.xlsx", await rosterXlsx(rows)],
      ["roster-en.csv", enc(rosterCsv(await rosterRows(db(), await admin(), "en")))],
    ] as const) {
      const { id, plan, counts } = await dryRun(name, bytes);
      expect(counts, name).toEqual({ create: 0, update: 0, unchanged: 882, refused: 0, ignored: 0 });
      expect(plan.every((p) => p.action === "unchanged")).toBe(true);
      expect(await confirmRosterImport(db(), await admin(), id)).toMatchObject({ unchanged: 882 });
    }
    const after = await snapshot();
    expect(after.rows).toEqual(before.rows);
    expect(after.audit).toBe(before.audit + 3);
  });

  it("normalises a messy file, refuses what it cannot use with line numbers, and writes nothing", async () => {
    const [free1, free2, free3] = await vacantStorefronts();
    const [s1] = await db().select().from(businesses).where(eq(businesses.code, "S0001"));
    const [sf1] = await db()
      .select({ number: storefronts.number, street: streets.nameZh })
      .from(storefronts)
      .innerJoin(streets, eq(streets.id, storefronts.streetId))
      .where(eq(storefronts.id, s1.storefrontId!));
    const wide = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
    const lines = [
      "商贸社区商户花名册（2026年11月）,,,,,,,,,,,", // 1: a merged title row
      "名称 , 类型,类别,街道,门牌号,摊位号,微网格,负责人,联系电话,营业时间,夜市,编号", // 2
      `新开面馆 ,门店,美食,${free1.street},${wide(free1.number)},,${free1.micro_grid},王 五,138 0013 8000,８：００－２１：００,否,`, // 3: fine
      `\u3000新开面馆,门店 ,美食,${free1.street},${free1.number},,${free1.micro_grid.toLowerCase()},王 五, 138-0013-8000,08:00-21:00,否,`, // 4: the same again, written differently
      `夜宵烧烤,门店,美食,${free2.street},${free2.number},,,李四,0374-8123456,"11:00-14:00, 17:00-02:00",是,`, // 5: fine, a landline
      `无名街小店,门店,百货,不存在路,1,,,赵六,13900000000,08:00-20:00,否,`, // 6: unknown street
      `错网格小店,门店,百货,${free3.street},${free3.number},,G9-9,赵六,13900000000,08:00-20:00,否,`, // 7: unknown micro-grid
      `错类型小店,商铺,百货,${free3.street},${free3.number},,,赵六,13900000000,08:00-20:00,否,`, // 8: invalid kind
      `错电话小店,门店,百货,${free3.street},${free3.number},,,赵六,12345,08:00-20:00,否,`, // 9: bad phone
      `${s1.name},门店,美食,${sf1.street},${sf1.number},,,,,,否,`, // 10: likely duplicate of S0001
      ",,,,,,,,,,,", // 11: blank
    ];
    const before = await snapshot();
    const { id, plan, counts } = await dryRun("messy.csv", enc(lines.join("\r\n")));
    expect(counts).toEqual({ create: 2, update: 0, unchanged: 0, refused: 5, ignored: 1 });
    expect(byLine(plan, 3)).toMatchObject({ action: "create", name: "新开面馆", code: "S0755" });
    const created = byLine(plan, 3) as Extract<PlannedRow, { action: "create" }>;
    expect(created.values).toMatchObject({
      storefrontId: free1.id,
      ownerName: "王 五",
      phone: "13800138000",
      dayOpensAt: 480,
      dayClosesAt: 1260,
      nightOpensAt: null,
    });
    expect(byLine(plan, 4)).toMatchObject({
      action: "ignored",
      reasons: [{ key: "duplicateRow", params: { line: 3 } }],
    });
    expect(byLine(plan, 5)).toMatchObject({
      action: "create",
      code: "S0756",
      values: { phone: "03748123456", dayOpensAt: 660, nightOpensAt: 1020, nightClosesAt: 120 },
    });
    expect(byLine(plan, 6)).toMatchObject({ action: "refused", reasons: [{ key: "streetUnknown" }] });
    expect(byLine(plan, 7)).toMatchObject({ action: "refused", reasons: [{ key: "microGridUnknown" }] });
    expect(byLine(plan, 8)).toMatchObject({ action: "refused", reasons: [{ key: "kindInvalid" }] });
    expect(byLine(plan, 9)).toMatchObject({ action: "refused", reasons: [{ key: "phoneInvalid" }] });
    expect(byLine(plan, 10)).toMatchObject({
      action: "refused",
      reasons: [{ key: "likelyDuplicate", params: { code: "S0001" } }],
    });
    expect(await snapshot()).toEqual(before);
    // Confirming a plan with refused rows is refused as a whole.
    await expect(confirmRosterImport(db(), await admin(), id)).rejects.toMatchObject({
      code: "roster.errors.hasRefused",
    });
    expect(await snapshot()).toEqual(before);
  });

  it("updates by code, moves to a vacant storefront, and applies all or nothing", async () => {
    const [rows] = [await rosterRows(db(), await admin())];
    const [head, s2] = [rows[0], rows.find((r) => r[11] === "S0002")!];
    const [free1, free2] = await vacantStorefronts();
    const moved = [...s2];
    moved[3] = free1.street;
    moved[4] = free1.number;
    moved[6] = "";
    const added = ["全新小店", "门店", "百货", free2.street, free2.number, "", "", "", "", "09:00-18:00", "否", ""];
    const { id, counts, plan } = await dryRun("m.csv", enc(rosterCsv([head, moved, added])));
    expect(counts).toMatchObject({ create: 1, update: 1, refused: 0 });
    expect(byLine(plan, 2)).toMatchObject({ action: "update", changes: ["number"] });

    // Meanwhile someone else opens a shop in the second storefront: the plan no longer applies.
    const before = await snapshot();
    await db().execute(sql`UPDATE businesses SET storefront_id = ${free2.id} WHERE code = 'S0003'`);
    await expect(confirmRosterImport(db(), await admin(), id)).rejects.toMatchObject({ code: "roster.errors.stale" });
    const [s2After] = await db().select().from(businesses).where(eq(businesses.code, "S0002"));
    expect(s2After.storefrontId).not.toBe(free1.id);
    expect((await db().select({ n: count() }).from(businesses))[0].n).toBe(before.rows.length);
    const [stored] = await db().select().from(rosterImports).where(eq(rosterImports.id, id));
    expect(stored.status).toBe("pending");
    await db().execute(
      sql`UPDATE businesses SET storefront_id = ${before.rows.find((b) => b.code === "S0003")!.storefrontId} WHERE code = 'S0003'`,
    );

    // Put back, the same dry run confirms: both rows in one go, audited with the counts.
    expect(await confirmRosterImport(db(), await admin(), id)).toMatchObject({ create: 1, update: 1 });
    const [s2Moved] = await db().select().from(businesses).where(eq(businesses.code, "S0002"));
    expect(s2Moved.storefrontId).toBe(free1.id);
    const [fresh] = await db().select().from(businesses).where(eq(businesses.name, "全新小店"));
    expect(fresh).toMatchObject({ kind: "shop", status: "open", storefrontId: free2.id, dayOpensAt: 540 });
    const [line] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "roster.imported"), eq(auditLog.subjectId, String(id))));
    expect(line.after).toMatchObject({ counts: { create: 1, update: 1 }, created: [fresh.code], updated: ["S0002"] });
    await expect(confirmRosterImport(db(), await admin(), id)).rejects.toMatchObject({
      code: "roster.errors.notPending",
    });
    expect((await searchDirectory(db(), { ...filters("q=全新小店") })).total).toBe(1);
  });

  it("refuses everyone but administrators, and writes nothing", async () => {
    const file = enc(`${header}\n`);
    for (const who of ["resident", "shopOwner", "president", "moderator", "mediator", "gridWorker"] as const) {
      const user = await actor(who);
      await expect(startRosterImport(db(), user, "x.csv", file)).rejects.toMatchObject({ status: 403 });
      await expect(rosterRows(db(), user)).rejects.toMatchObject({ status: 403 });
      await expect(closeBusiness(db(), user, 1)).rejects.toMatchObject({ status: 403 });
      await expect(addBusiness(db(), user, emptyRow())).rejects.toMatchObject({ status: 403 });
      await expect(
        setGridContacts(db(), user, { microGrid: "G1-1", leader: { name: "x", phone: "13900000000" }, workers: [] }),
      ).rejects.toMatchObject({ status: 403 });
    }
    await expect(startRosterImport(db(), null, "x.csv", file)).rejects.toMatchObject({ status: 403 });
    expect((await db().select({ n: count() }).from(rosterImports).where(isNull(rosterImports.decidedAt)))[0].n).toBe(1);
  });
});

const filters = (query: string) => {
  const parsed = parseDirectoryFilters(new URLSearchParams(query));
  if (!parsed.ok) throw new Error(query);
  return parsed.filters;
};

describe("one business by hand", () => {
  it("adds a business, refuses an invalid one, moves it, and closes it keeping its history", async () => {
    const [free1, free2] = await vacantStorefronts();
    const row = {
      ...emptyRow(),
      name: "手工小店",
      kind: "门店",
      category: "百货",
      street: free1.street,
      number: free1.number,
      hours: "08:00-20:00",
      night: "否",
    };
    await expect(addBusiness(db(), await admin(), { ...row, phone: "123" })).rejects.toMatchObject({
      code: "roster.reasons.phoneInvalid",
    });
    const { id, code } = await addBusiness(db(), await admin(), row);
    expect(code).toMatch(/^S\d{4}$/);
    await expect(addBusiness(db(), await admin(), row)).rejects.toMatchObject({
      code: "roster.reasons.likelyDuplicate",
    });
    await editBusiness(db(), await admin(), id, { ...row, street: free2.street, number: free2.number });
    const [movedRow] = await db().select().from(businesses).where(eq(businesses.id, id));
    expect(movedRow.storefrontId).toBe(free2.id);
    expect(
      (
        await db()
          .select()
          .from(auditLog)
          .where(and(eq(auditLog.action, "business.moved"), eq(auditLog.subjectId, String(id))))
      ).length,
    ).toBe(1);
  });

  it("closes a business with plaques and members: it leaves the directory and the map, its history stays", async () => {
    const holder = (
      await db()
        .select({ businessId: awards.businessId, code: awards.plaqueCode })
        .from(awards)
        .where(isNull(awards.revokedAt))
        .limit(1)
    )[0];
    const [member] = await db().select().from(businessMembers).limit(1);
    const [b] = await db().select().from(businesses).where(eq(businesses.id, holder.businessId));
    const before = await db().select().from(awards).where(eq(awards.businessId, b.id));
    const beforeMap = await districtMap(db(), filters(""));
    expect(beforeMap.points.some((p) => p.businessId === b.id)).toBe(true);

    await closeBusiness(db(), await admin(), b.id);
    if (member.businessId !== b.id) await closeBusiness(db(), await admin(), member.businessId);
    const [after] = await db().select().from(businesses).where(eq(businesses.id, b.id));
    expect(after).toMatchObject({
      status: "closed",
      code: b.code,
      storefrontId: b.storefrontId,
      stallId: b.stallId,
    });
    expect(after.closedAt).toBeInstanceOf(Date);
    expect(await db().select().from(awards).where(eq(awards.businessId, b.id))).toEqual(before);
    expect(
      await db().select().from(businessMembers).where(eq(businessMembers.businessId, member.businessId)),
    ).toContainEqual(member);
    expect(await verifyPlaque(db(), holder.code)).toMatchObject({
      businessCode: b.code,
      businessStatus: "closed",
      verdict: "current",
    });
    expect(
      (await searchDirectory(db(), filters(`q=${encodeURIComponent(b.name)}`))).items.map((i) => i.code),
    ).not.toContain(b.code);
    expect((await districtMap(db(), filters(""))).points.some((p) => p.businessId === b.id)).toBe(false);
    // Closed businesses are not exported, and their code cannot be imported onto them again.
    const rows = await rosterRows(db(), await admin());
    expect(rows.some((r) => r[11] === b.code)).toBe(false);
    const { plan } = await dryRun("c.csv", enc(`${header}\n${b.name},门店,百货,建设路,1,,,,,,,${b.code}\n`));
    expect(plan[0]).toMatchObject({
      action: "refused",
      reasons: expect.arrayContaining([{ key: "codeClosed", params: { value: b.code } }]),
    });
    await expect(closeBusiness(db(), await admin(), b.id)).rejects.toMatchObject({ code: "roster.errors.closed" });
  });
});

describe("grid contacts", () => {
  it("replaces a micro-grid's leader and workers, audited, and the map shows it at once", async () => {
    const grids = await listGridContacts(db(), await admin());
    expect(grids).toHaveLength(32);
    const g = grids[0];
    const input = gridContactsSchema.parse({
      microGrid: g.code,
      leader: { id: String(g.leader!.id), name: "新组长", phone: "139 0000 1111" },
      workers: [
        { id: "", name: "新网格员", phone: "13900002222" },
        { id: "", name: "", phone: "" },
      ],
    });
    await setGridContacts(db(), await admin(), input);
    const [mg] = await db().select().from(microGrids).where(eq(microGrids.code, g.code));
    const contacts = await db().select().from(gridContacts).where(eq(gridContacts.microGridId, mg.id));
    expect(
      contacts.map(({ role, name, phone }) => ({ role, name, phone })).sort((a, b) => a.role.localeCompare(b.role)),
    ).toEqual([
      { role: "leader", name: "新组长", phone: "13900001111" },
      { role: "worker", name: "新网格员", phone: "13900002222" },
    ]);
    const map = await districtMap(db(), filters(""));
    const shown = map.grids.flatMap((x) => x.microGrids).find((m) => m.code === g.code)!;
    expect(shown.contacts).toEqual([
      { role: "leader", name: "新组长", phone: "13900001111" },
      { role: "worker", name: "新网格员", phone: "13900002222" },
    ]);
    expect(
      gridContactsSchema.safeParse({ microGrid: g.code, leader: { name: "x", phone: "12" }, workers: [] }).success,
    ).toBe(false);
    expect((await db().select().from(auditLog).where(eq(auditLog.action, "gridContacts.updated"))).length).toBe(1);
  });
});

it("XLSX written by Excel with numbers and times as values reads as text", async () => {
  const bytes = await xlsx((workbook) => {
    const sheet = workbook.addWorksheet("s");
    sheet.addRow(["花名册"]);
    sheet.mergeCells("A1:L1");
    sheet.addRow(header.split(","));
    sheet.addRow(["数字店", "门店", "百货", "建设路", 12, "", "", "", 13800138000, "8:00-20:00", "否", ""]);
  });
  const rows = await readRosterFile(bytes);
  expect(rows).toEqual([
    { line: 3, cells: expect.objectContaining({ name: "数字店", number: "12", phone: "13800138000" }) },
  ]);
});
