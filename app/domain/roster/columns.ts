/**
 * The roster's columns, in file order, with the headers an import accepts. Export writes the
 * Chinese (or English) header of each, so an exported file imports back unchanged.
 */
export const rosterColumns = [
  { key: "name", zh: "名称", en: "name", aliases: ["店名", "商户名称", "名字"] },
  { key: "kind", zh: "类型", en: "kind", aliases: [] },
  { key: "category", zh: "类别", en: "category", aliases: ["经营类别"] },
  { key: "street", zh: "街道", en: "street", aliases: [] },
  { key: "number", zh: "门牌号", en: "number", aliases: ["门牌"] },
  { key: "stall", zh: "摊位号", en: "stall", aliases: ["摊位"] },
  { key: "microGrid", zh: "微网格", en: "micro_grid", aliases: ["micro grid", "microgrid"] },
  { key: "ownerName", zh: "负责人", en: "owner_name", aliases: ["owner", "店主", "经营者"] },
  { key: "phone", zh: "联系电话", en: "phone", aliases: ["电话", "手机", "手机号"] },
  { key: "hours", zh: "营业时间", en: "hours", aliases: [] },
  { key: "night", zh: "夜市", en: "night", aliases: [] },
  { key: "code", zh: "编号", en: "code", aliases: ["商户编号"] },
] as const;

export type RosterColumn = (typeof rosterColumns)[number]["key"];
export type RosterRow = Record<RosterColumn, string>;

const headerKey = (text: string) =>
  text
    .normalize("NFKC")
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, " ");

const headerLookup = new Map<string, RosterColumn>();
for (const column of rosterColumns) {
  for (const name of [column.zh, column.en, ...column.aliases]) headerLookup.set(headerKey(name), column.key);
}

/** The column a header cell names, or undefined ("营业时间 ", "Owner_Name" and "ＮＡＭＥ" all count). */
export function columnOfHeader(text: string): RosterColumn | undefined {
  return headerLookup.get(headerKey(text));
}

export const emptyRow = (): RosterRow => Object.fromEntries(rosterColumns.map((c) => [c.key, ""])) as RosterRow;
