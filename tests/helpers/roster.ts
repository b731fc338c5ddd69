import { sql } from "drizzle-orm";
import ExcelJS from "exceljs";
import { rowsOf } from "../../db/client";
import { rosterImport, startRosterImport, type PlannedRow } from "~/domain/roster/roster.server";
import type { TestKit } from "./kit";

/** The roster's header line as staff's files carry it (the Chinese names, in file order). */
export const ROSTER_HEADER = "名称,类型,类别,街道,门牌号,摊位号,微网格,负责人,联系电话,营业时间,夜市,编号";

/** `text` as the bytes of an uploaded file (UTF-8). */
export const enc = (s: string) => new TextEncoder().encode(s);

/** The planned row of file line `line`. */
export const byLine = <T extends PlannedRow>(plan: T[], line: number) => plan.find((p) => p.line === line)!;

/** The bytes of an XLSX file `build` fills in. */
export async function xlsx(build: (workbook: ExcelJS.Workbook) => void) {
  const workbook = new ExcelJS.Workbook();
  build(workbook);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/**
 * The roster tests' tools on this file's database: the demo administrator, the storefronts no
 * open business uses, an upload by the administrator (the new import's id), and an upload with
 * the dry run it stored (plan, counts, notes, id).
 */
export function rosterTools(kit: TestKit) {
  const admin = () => kit.demo("admin");
  const uploadRoster = async (fileName: string, bytes: Uint8Array) =>
    startRosterImport(kit.db(), await admin(), fileName, bytes);
  const dryRun = async (fileName: string, bytes: Uint8Array) => {
    const id = await uploadRoster(fileName, bytes);
    return { ...(await rosterImport(kit.db(), await admin(), id)), id };
  };
  return { admin, vacantStorefronts: () => vacantStorefronts(kit), uploadRoster, dryRun };
}

/** The demo administrator uploads `bytes` as `fileName`: the new import's id. */
export async function uploadRoster(kit: TestKit, fileName: string, bytes: Uint8Array) {
  return startRosterImport(kit.db(), await kit.demo("admin"), fileName, bytes);
}

/** `uploadRoster`, then the dry run the upload stored (its plan, counts and notes), with its id. */
export async function dryRun(kit: TestKit, fileName: string, bytes: Uint8Array) {
  const id = await uploadRoster(kit, fileName, bytes);
  return { ...(await rosterImport(kit.db(), await kit.demo("admin"), id)), id };
}

/** Storefronts no open business uses, with their street's Chinese name and micro-grid code. */
async function vacantStorefronts(kit: TestKit) {
  return rowsOf<{ id: number; street: string; number: string; micro_grid: string }>(
    await kit.db().execute(sql`
      SELECT sf.id, st.name_zh AS street, sf.number, mg.code AS micro_grid
        FROM storefronts sf JOIN streets st ON st.id = sf.street_id JOIN micro_grids mg ON mg.id = sf.micro_grid_id
       WHERE NOT EXISTS (SELECT 1 FROM businesses b WHERE b.storefront_id = sf.id AND b.status = 'open')
       ORDER BY sf.id`),
  );
}
