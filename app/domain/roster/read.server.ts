import ExcelJS from "exceljs";
import { parse } from "csv-parse/sync";
import { DomainError } from "../errors";
import { columnOfHeader, emptyRow, type RosterColumn, type RosterRow } from "./columns";

export const maxRosterBytes = 5 * 1024 * 1024;

export interface FileRow {
  /** The row's line in the file (the spreadsheet row number), for the report. */
  line: number;
  cells: RosterRow;
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
  if (bytes.length === 0) throw refuse("empty");
  if (bytes.length > maxRosterBytes) throw refuse("tooLarge");
  const table = isZip(bytes) ? await readXlsx(bytes) : readCsv(bytes);
  const headerIndex = table
    .slice(0, 10)
    .findIndex((r) => r.cells.filter((c) => columnOfHeader(c) !== undefined).length >= 3);
  if (headerIndex < 0) throw refuse(table.every((r) => r.cells.every((c) => c.trim() === "")) ? "empty" : "noHeader");
  const columns = table[headerIndex].cells.map((c) => columnOfHeader(c));
  if (!columns.includes("name")) throw refuse("noHeader");
  const seen = new Set<RosterColumn>();
  const indexOf = columns.map((c) => (c && !seen.has(c) ? (seen.add(c), c) : undefined));
  const rows: FileRow[] = [];
  for (const { line, cells } of table.slice(headerIndex + 1)) {
    if (cells.every((c) => c.trim() === "")) continue;
    const row = emptyRow();
    cells.forEach((value, i) => {
      const key = indexOf[i];
      if (key) row[key] = value;
    });
    rows.push({ line, cells: row });
  }
  if (rows.length === 0) throw refuse("noRows");
  return rows;
}

function isZip(bytes: Uint8Array) {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

interface TableRow {
  line: number;
  cells: string[];
}

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

async function readXlsx(bytes: Uint8Array): Promise<TableRow[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch {
    throw refuse("unreadable");
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw refuse("empty");
  const rows: TableRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    const cells: string[] = [];
    for (let i = 1; i <= row.cellCount; i++) cells.push(cellText(row.getCell(i).value));
    rows.push({ line, cells });
  });
  return rows;
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
