import type ExcelJS from "exceljs";
import { parse } from "csv-parse/sync";
import { DomainError } from "../errors";
import { columnOfHeader, emptyRow, type RosterColumn, type RosterRow } from "./columns";

export const maxRosterBytes = 5 * 1024 * 1024;

export interface FileRow {
  /** The row's line in the file (the spreadsheet row number), for the report. */
  line: number;
  cells: RosterRow;
  /**
   * Cells the file could not give us as typed (a phone Excel stored as a rounded number, a formula
   * without its value): the row is refused with these, whatever the rest of it says.
   */
  problems?: CellProblem[];
}

export interface CellProblem {
  key: "phoneRounded" | "formulaNoValue";
  params: Record<string, string | number>;
}

/** Something about the whole file the dry run should say (data on sheets that are not read). */
export interface FileNote {
  key: "otherSheets";
  params: Record<string, string | number>;
}

const refuse = (code: string, params: Record<string, string | number> = {}) =>
  new DomainError(`roster.errors.${code}`, 400, "file", params);

/**
 * A roster file's rows under its header row. XLSX is recognised by its bytes (a zip), anything
 * else must be text: UTF-8 (with or without a BOM) or, when it is not valid UTF-8, GB18030 (what
 * Excel in China saves as "CSV"). Title rows above the header (merged cells) are skipped; the
 * header is the first row in which three or more cells name known columns.
 */
export async function readRosterFile(bytes: Uint8Array): Promise<FileRow[]> {
  return (await readRoster(bytes)).rows;
}

/** The rows, and what the dry run should say about the file as a whole. */
export async function readRoster(bytes: Uint8Array): Promise<{ rows: FileRow[]; notes: FileNote[] }> {
  if (bytes.length === 0) throw refuse("empty");
  if (bytes.length > maxRosterBytes) throw refuse("tooLarge");
  const { table, otherSheets } = isZip(bytes) ? await readXlsx(bytes) : { table: readCsv(bytes), otherSheets: [] };
  const notes: FileNote[] = otherSheets.map((s) => ({
    key: "otherSheets",
    params: { first: s.first, sheet: s.name, rows: s.rows },
  }));
  // Only the first sheet is read: when it has no roster, say so before anything else.
  const onlySheet = (code: string) =>
    otherSheets.length > 0 ? refuse("firstSheetOnly", { sheet: otherSheets[0].first }) : refuse(code);
  const headerIndex = table
    .slice(0, 10)
    .findIndex((r) => r.cells.filter((c) => columnOfHeader(c) !== undefined).length >= 3);
  if (headerIndex < 0)
    throw onlySheet(table.every((r) => r.cells.every((c) => c.trim() === "")) ? "empty" : "noHeader");
  const columns = table[headerIndex].cells.map((c) => columnOfHeader(c));
  if (!columns.includes("name")) throw onlySheet("noHeader");
  const seen = new Set<RosterColumn>();
  const indexOf = columns.map((c) => (c && !seen.has(c) ? (seen.add(c), c) : undefined));
  const rows: FileRow[] = [];
  for (const { line, cells, flags } of table.slice(headerIndex + 1)) {
    if (cells.every((c) => c.trim() === "") && !flags?.some((f) => f === "formula")) continue;
    const row = emptyRow();
    const problems: CellProblem[] = [];
    cells.forEach((value, i) => {
      const key = indexOf[i];
      if (!key) return;
      row[key] = value;
      const flag = flags?.[i];
      if (flag === "formula") problems.push({ key: "formulaNoValue", params: { column: key } });
      else if (flag === "number" && key === "phone" && !exactPhoneNumber(value))
        problems.push({ key: "phoneRounded", params: { value } });
      else if (flag === "scientific" && key === "phone") problems.push({ key: "phoneRounded", params: { value } });
    });
    rows.push(problems.length > 0 ? { line, cells: row, problems } : { line, cells: row });
  }
  if (rows.length === 0) throw onlySheet("noRows");
  return { rows, notes };
}

/**
 * A phone stored as a number is taken only when it cannot have been rounded: an 11-digit mobile
 * (1 followed by 10 digits) with more than six significant digits. Excel shows and re-saves long
 * numbers in scientific notation with at most six significant digits (1.38E+10, 1.38123E+10), so a
 * number ending in five or more zeros is what is left of a rounded phone; a landline stored as a
 * number has lost its leading 0 anyway. See docs/decisions/019-roster-numbers-and-background-jobs.md.
 */
function exactPhoneNumber(text: string): boolean {
  return /^1\d{10}$/.test(text) && !/0{5}$/.test(text);
}

function isZip(bytes: Uint8Array) {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

interface TableRow {
  line: number;
  cells: string[];
  /** XLSX only: how a cell was stored, where it matters (a number, in scientific format, a formula without value). */
  flags?: (CellFlag | undefined)[];
}
type CellFlag = "number" | "scientific" | "formula";

function readCsv(bytes: Uint8Array): TableRow[] {
  const head = bytes.subarray(0, 8192);
  // Binary files (images, PDF, the old .xls format) carry NUL bytes or control characters.
  if (head.includes(0) || [...head].filter((b) => b < 0x09 || (b > 0x0d && b < 0x20)).length > 0)
    throw refuse("fileType");
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder("gb18030").decode(bytes);
  }
  text = text.replace(/^\uFEFF/, "");
  const firstLine = text.slice(0, text.indexOf("\n") >>> 0);
  const count = (ch: string) => firstLine.split(ch).length - 1;
  const delimiter = count("\t") > count(",") ? "\t" : count(";") > count(",") ? ";" : ",";
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      info: true,
      skip_empty_lines: false,
    }) as unknown as typeof records;
  } catch {
    throw refuse("unreadable");
  }
  // Our export writes a formula-like cell as '=…; take the apostrophe off again.
  const unguard = (cell: string) => (/^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell);
  return records.map(({ record, info }) => ({ line: info.lines, cells: record.map(unguard) }));
}

async function readXlsx(
  bytes: Uint8Array,
): Promise<{ table: TableRow[]; otherSheets: { first: string; name: string; rows: number }[] }> {
  // Loaded on the first spreadsheet: the library is not kept by a server that never reads one.
  const { default: Excel } = await import("exceljs");
  const workbook = new Excel.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch {
    throw refuse("unreadable");
  }
  const [sheet, ...others] = workbook.worksheets;
  if (!sheet) throw refuse("empty");
  const rows: TableRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    const cells: string[] = [];
    const flags: (CellFlag | undefined)[] = [];
    for (let i = 1; i <= row.cellCount; i++) {
      const cell = row.getCell(i);
      cells.push(cellText(cell.value));
      flags.push(cellFlag(cell));
    }
    rows.push(flags.some(Boolean) ? { line, cells, flags } : { line, cells });
  });
  const otherSheets = others
    .map((s) => {
      let filled = 0;
      s.eachRow({ includeEmpty: false }, (row) => {
        if (
          row.values &&
          (row.values as unknown[]).some((v) => v !== null && v !== undefined && String(v).trim() !== "")
        )
          filled++;
      });
      return { first: sheet.name, name: s.name, rows: filled };
    })
    .filter((s) => s.rows > 0);
  return { table: rows, otherSheets };
}

function cellFlag(cell: ExcelJS.Cell): CellFlag | undefined {
  const value = cell.value;
  if (value && typeof value === "object" && ("formula" in value || "sharedFormula" in value)) {
    const result = (value as { result?: unknown }).result;
    if (result === undefined || result === null || result === "") return "formula";
    if (typeof result === "number") return /E\+?/i.test(cell.numFmt ?? "") ? "scientific" : "number";
    return undefined;
  }
  if (typeof value === "number") return /E\+?/i.test(cell.numFmt ?? "") ? "scientific" : "number";
  return undefined;
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : String(value);
  if (typeof value === "boolean") return value ? "是" : "否";
  if (value instanceof Date) {
    // A time typed into Excel is a date on 1899-12-30; a real date is kept as a date.
    if (value.getUTCFullYear() < 1901) {
      return `${String(value.getUTCHours()).padStart(2, "0")}:${String(value.getUTCMinutes()).padStart(2, "0")}`;
    }
    return value.toISOString().slice(0, 10);
  }
  if ("richText" in value) return value.richText.map((r) => r.text).join("");
  if ("result" in value) return cellText(value.result ?? null);
  if ("text" in value) return String(value.text);
  return "";
}
