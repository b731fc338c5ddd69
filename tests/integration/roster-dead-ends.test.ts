/**
 * Issue 21, items 6–10: the dead ends staff hit with the roster (rounded phones, formulas and
 * second sheets in XLSX files, moving a business, reopening one, what the dry run shows, and
 * how long an upload is kept).
 */
import { and, count, eq, isNull } from "drizzle-orm";
import type ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { appMeta, auditLog, awards, businessMembers, businesses, rosterImports } from "../../db/schema";
import { DEMO_USERS } from "../../db/seed/demo";
import { searchDirectory } from "~/domain/directory/search.server";
import { parseDirectoryFilters } from "~/domain/directory/filters";
import {
  businessRosterRow,
  closeBusiness,
  discardRosterImport,
  editBusiness,
  purgeRosterUploads,
  reopenBusiness,
  rosterImportView,
  setRosterRetentionDays,
} from "~/domain/roster/roster.server";
import { useTestDatabase } from "../helpers/kit";
import { byLine, enc, ROSTER_HEADER as header, rosterTools, xlsx } from "../helpers/roster";

const kit = useTestDatabase();
const { db, demo: actor } = kit;
const { admin, vacantStorefronts, uploadRoster, dryRun } = rosterTools(kit);
const DAY = 86_400_000;

/** A sheet `name` of `workbook` with the roster's header and `rows`. */
function rosterSheet(workbook: ExcelJS.Workbook, name: string, ...rows: unknown[][]) {
  const sheet = workbook.addWorksheet(name);
  sheet.addRow(header.split(","));
  for (const row of rows) sheet.addRow(row);
  return sheet;
}

/** A roster row of a general store named `name` at the storefront `place`, open 08:00-20:00. */
const storeAt = (name: string, place: { street: string; number: string }) => [
  name,
  "门店",
  "百货",
  place.street,
  place.number,
  "",
  "",
  "",
  "",
  "08:00-20:00",
  "否",
  "",
];

describe("XLSX cells Excel did not keep as typed (item 6)", () => {
  it("refuses a phone Excel stored as a rounded number, with the line and the hint to format the column as text", async () => {
    const [free1, free2, free3] = await vacantStorefronts();
    const bytes = await xlsx((wb) => {
      const sheet = rosterSheet(wb, "花名册");
      // 1.38E+10: what is left of 13812345678 once Excel showed it in scientific notation.
      sheet.addRow([
        "四舍五入店",
        "门店",
        "百货",
        free1.street,
        free1.number,
        "",
        "",
        "王五",
        1.38e10,
        "08:00-20:00",
        "否",
        "",
      ]);
      sheet.getCell("I2").numFmt = "0.00E+00";
      // The same without the format: still only three significant digits.
      sheet.addRow([
        "圆整店",
        "门店",
        "百货",
        free2.street,
        free2.number,
        "",
        "",
        "李四",
        13800000000,
        "08:00-20:00",
        "否",
        "",
      ]);
      // An exact 11-digit mobile stored as a number is the number typed: taken.
      sheet.addRow([
        "整数店",
        "门店",
        "百货",
        free3.street,
        free3.number,
        "",
        "",
        "赵六",
        13912345678,
        "08:00-20:00",
        "否",
        "",
      ]);
    });
    const { plan } = await dryRun("rounded.xlsx", bytes);
    expect(byLine(plan, 2)).toMatchObject({
      action: "refused",
      reasons: [{ key: "phoneRounded", params: { value: "13800000000" } }],
    });
    expect(byLine(plan, 3)).toMatchObject({ action: "refused", reasons: [{ key: "phoneRounded" }] });
    expect(byLine(plan, 4)).toMatchObject({ action: "create", values: { phone: "13912345678" } });
  });

  it("refuses a phone written as 1.38E+10 in a CSV with the same hint", async () => {
    const [free] = await vacantStorefronts();
    const { plan } = await dryRun(
      "sci.csv",
      enc(`${header}\n科学计数店,门店,百货,${free.street},${free.number},,,,1.38E+10,08:00-20:00,否,\n`),
    );
    expect(plan[0]).toMatchObject({
      action: "refused",
      reasons: [{ key: "phoneRounded", params: { value: "1.38E+10" } }],
    });
  });

  it("says a formula without its computed value is a formula, not that the name is missing", async () => {
    const [free] = await vacantStorefronts();
    const bytes = await xlsx((wb) => {
      rosterSheet(wb, "花名册", storeAt("", free)).getCell("A2").value = { formula: 'CONCATENATE("老","店")' };
    });
    const [row] = (await dryRun("formula.xlsx", bytes)).plan;
    expect(row).toMatchObject({
      line: 2,
      action: "refused",
      reasons: [{ key: "formulaNoValue", params: { column: "name" } }],
    });
  });

  it("says only the first sheet is read when another sheet holds rows", async () => {
    const [free] = await vacantStorefronts();
    const bytes = await xlsx((wb) => {
      rosterSheet(wb, "门店", storeAt("第一页店", free));
      rosterSheet(wb, "摊位", ["第二页摊", "摊位", "美食", "", "", "T0999", "", "", "", "", "否", ""]);
    });
    const stored = await dryRun("two-sheets.xlsx", bytes);
    expect(stored.plan).toHaveLength(1);
    expect(stored.notes).toEqual([{ key: "otherSheets", params: { first: "门店", sheet: "摊位", rows: 2 } }]);

    // A first sheet without the roster names the sheet that is read.
    const empty = await xlsx((wb) => {
      wb.addWorksheet("说明").addRow(["请看第二页"]);
      rosterSheet(wb, "花名册");
    });
    await expect(uploadRoster("x.xlsx", empty)).rejects.toMatchObject({
      code: "roster.errors.firstSheetOnly",
      params: { sheet: "说明" },
    });
  });
});

describe("moving a business on its edit page (item 7)", () => {
  it("moves to a place in another micro-grid with the form as it was filled in", async () => {
    const vacant = await vacantStorefronts();
    const [s] = await db().select().from(businesses).where(eq(businesses.code, "S0006"));
    const form = (await businessRosterRow(db(), await admin(), s.id)).row;
    expect(form.microGrid).not.toBe("");
    const target = vacant.find((v) => v.micro_grid !== form.microGrid)!;
    await editBusiness(db(), await admin(), s.id, { ...form, street: target.street, number: target.number });
    const [moved] = await db().select().from(businesses).where(eq(businesses.id, s.id));
    expect(moved.storefrontId).toBe(target.id);
    // A micro-grid typed on purpose (not the one the form showed) is still checked against the new place.
    const other = vacant.find((v) => v.micro_grid !== target.micro_grid && v.id !== target.id)!;
    const typed = ["G1-1", "G2-1", "G3-1"].find((g) => g !== target.micro_grid && g !== other.micro_grid)!;
    await expect(
      editBusiness(db(), await admin(), s.id, {
        ...form,
        street: other.street,
        number: other.number,
        microGrid: typed,
      }),
    ).rejects.toMatchObject({ code: "roster.reasons.microGridMismatch" });
  });
});

describe("reopening a closed business (item 8)", () => {
  it("reopens it where it was, with its plaques and members, audited; refuses others and a taken place", async () => {
    const [holder] = await db()
      .select({ businessId: awards.businessId })
      .from(awards)
      .where(isNull(awards.revokedAt))
      .limit(1);
    const id = holder.businessId;
    const awardsBefore = await db().select().from(awards).where(eq(awards.businessId, id));
    const membersBefore = await db().select().from(businessMembers).where(eq(businessMembers.businessId, id));
    const [before] = await db().select().from(businesses).where(eq(businesses.id, id));
    await closeBusiness(db(), await admin(), id);
    await expect(reopenBusiness(db(), await admin(), before.id + 100000)).rejects.toMatchObject({ status: 404 });
    for (const who of ["resident", "shopOwner", "president", "moderator", "mediator", "gridWorker"] as const) {
      await expect(reopenBusiness(db(), await actor(who), id)).rejects.toMatchObject({ status: 403 });
    }
    expect((await db().select().from(businesses).where(eq(businesses.id, id)))[0].status).toBe("closed");

    await reopenBusiness(db(), await admin(), id);
    const [after] = await db().select().from(businesses).where(eq(businesses.id, id));
    expect(after).toMatchObject({
      status: "open",
      closedAt: null,
      code: before.code,
      storefrontId: before.storefrontId,
      stallId: before.stallId,
    });
    expect(await db().select().from(awards).where(eq(awards.businessId, id))).toEqual(awardsBefore);
    expect(await db().select().from(businessMembers).where(eq(businessMembers.businessId, id))).toEqual(membersBefore);
    const filters = parseDirectoryFilters(new URLSearchParams(`q=${encodeURIComponent(before.name)}`));
    if (!filters.ok) throw new Error("filters");
    expect((await searchDirectory(db(), filters.filters)).items.map((i) => i.code)).toContain(before.code);
    const [line] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "business.reopened"), eq(auditLog.subjectId, String(id))));
    expect(line).toMatchObject({ actorId: DEMO_USERS.admin.id, after: { status: "open", code: before.code } });
    await expect(reopenBusiness(db(), await admin(), id)).rejects.toMatchObject({ code: "roster.errors.notClosed" });

    // Closed again, and another business moves into its storefront: reopening is refused, nothing written.
    await closeBusiness(db(), await admin(), id);
    const [other] = await db().select().from(businesses).where(eq(businesses.code, "S0007"));
    await db().update(businesses).set({ storefrontId: before.storefrontId }).where(eq(businesses.id, other.id));
    const audits = (await db().select({ n: count() }).from(auditLog))[0].n;
    await expect(reopenBusiness(db(), await admin(), id)).rejects.toMatchObject({
      code: "roster.errors.reopenPlaceTaken",
      status: 409,
      params: { code: "S0007" },
    });
    expect((await db().select().from(businesses).where(eq(businesses.id, id)))[0].status).toBe("closed");
    expect((await db().select({ n: count() }).from(auditLog))[0].n).toBe(audits);
    await db().update(businesses).set({ storefrontId: other.storefrontId }).where(eq(businesses.id, other.id));
    await reopenBusiness(db(), await admin(), id);
  });
});

describe("what the dry run shows (item 9)", () => {
  it("shows the values new rows will store, and no would-be code on a row refused for a taken place", async () => {
    const [free1, free2] = await vacantStorefronts();
    const [s1] = await db().select().from(businesses).where(eq(businesses.code, "S0001"));
    const s1Row = (await businessRosterRow(db(), await admin(), s1.id)).row;
    const id = await uploadRoster(
      "view.csv",
      enc(
        [
          header,
          // 2: takes S0001's storefront under another name: refused, no code of its own
          `占位小店,门店,百货,${s1Row.street},${s1Row.number},,,,,08:00-20:00,否,`,
          // 3: a new shop: the values it will store are shown
          `新开面馆,门店,美食,${free1.street},${free1.number},,,王 五,138 0013 8000,"8:00-14:00, 17:00-次日2:00",是,`,
          // 4: the same place as line 3: refused, no code
          `又一家,门店,美食,${free1.street},${free1.number},,,,,08:00-20:00,否,`,
          // 5: the next new shop gets the next code, as if the refused rows were not there
          `第二家,门店,百货,${free2.street},${free2.number},,,,,09:00-18:00,否,`,
        ].join("\n"),
      ),
    );
    const view = await rosterImportView(db(), await admin(), id, "zh-CN");
    expect(byLine(view.plan, 2)).toMatchObject({ action: "refused", code: "", reasons: [{ key: "placeTaken" }] });
    expect(byLine(view.plan, 4)).toMatchObject({ action: "refused", code: "", reasons: [{ key: "placeTwice" }] });
    const created = view.plan.filter((p) => p.action === "create");
    expect(created.map((p) => p.code)).toEqual(["S0755", "S0756"]);
    expect(byLine(view.plan, 3).stored).toEqual([
      { column: "category", value: "美食" },
      { column: "ownerName", value: "王 五" },
      { column: "phone", value: "13800138000" },
      { column: "hours", value: "08:00-14:00, 17:00-02:00" },
      { column: "night", value: "yes" },
    ]);
  });
});

describe("discarding and keeping uploads (item 10)", () => {
  it("audits a discarded dry run; refuses others and a second discard", async () => {
    const id = await uploadRoster("discard.csv", enc(`${header}\n小店,门店,百货,,,,,,,,否,\n`));
    for (const who of ["resident", "shopOwner", "president", "mediator", "gridWorker"] as const) {
      await expect(discardRosterImport(db(), await actor(who), id)).rejects.toMatchObject({ status: 403 });
    }
    await discardRosterImport(db(), await admin(), id);
    const [line] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "roster.discarded"), eq(auditLog.subjectId, String(id))));
    expect(line).toMatchObject({ actorId: DEMO_USERS.admin.id, after: { fileName: "discard.csv" } });
    await expect(discardRosterImport(db(), await admin(), id)).rejects.toMatchObject({
      code: "roster.errors.notPending",
    });
  });

  it("deletes the rows of uploads older than the retention period administrators set, keeping name and counts", async () => {
    await expect(setRosterRetentionDays(db(), await actor("gridWorker"), 7)).rejects.toMatchObject({ status: 403 });
    await expect(setRosterRetentionDays(db(), await admin(), 0)).rejects.toMatchObject({
      code: "roster.errors.retentionInvalid",
    });
    await setRosterRetentionDays(db(), await admin(), 7);
    expect((await db().select().from(appMeta).where(eq(appMeta.key, "roster.retention_days")))[0].value).toBe("7");
    const old = await uploadRoster("old.csv", enc(`${header}\n旧店,门店,百货,,,,,张三,13900000001,,否,\n`));
    const recent = await uploadRoster("new.csv", enc(`${header}\n新店,门店,百货,,,,,,,,否,\n`));
    const now = new Date();
    await db()
      .update(rosterImports)
      .set({ createdAt: new Date(now.getTime() - 8 * DAY) })
      .where(eq(rosterImports.id, old));
    await db()
      .update(rosterImports)
      .set({ createdAt: new Date(now.getTime() - 6 * DAY) })
      .where(eq(rosterImports.id, recent));

    expect(await purgeRosterUploads(db(), now)).toBeGreaterThanOrEqual(1);
    const [gone] = await db().select().from(rosterImports).where(eq(rosterImports.id, old));
    expect(gone).toMatchObject({ rows: [], plan: [], status: "discarded", fileName: "old.csv" });
    expect(JSON.stringify(gone)).not.toContain("13900000001");
    expect(gone.purgedAt).toBeInstanceOf(Date);
    expect(gone.counts).toMatchObject({ refused: 1 });
    const [kept] = await db().select().from(rosterImports).where(eq(rosterImports.id, recent));
    expect(kept.purgedAt).toBeNull();
    expect(kept.rows).toHaveLength(1);
    expect(await purgeRosterUploads(db(), now)).toBe(0);
    const [line] = await db().select().from(auditLog).where(eq(auditLog.action, "roster.uploads_purged"));
    expect(line.after).toMatchObject({ retentionDays: 7 });
    expect((line.after as { ids: number[] }).ids).toContain(old);
  });
});
