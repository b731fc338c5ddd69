/**
 * Prints the rows of `hanzi_pinyin` as one SQL INSERT: every character of the CJK Unified
 * Ideographs block with its usual toneless reading from pinyin-pro (ü as v). The `pinyin_search`
 * migration holds its output; run it again (`npx tsx db/scripts/hanzi-pinyin-sql.ts`) only to
 * write a new migration when pinyin-pro's readings should be taken up.
 */
import { pinyin } from "pinyin-pro";

const rows: string[] = [];
for (let code = 0x4e00; code <= 0x9fff; code++) {
  const ch = String.fromCharCode(code);
  const syllable = pinyin(ch, { toneType: "none", v: true });
  if (/^[a-z]+$/.test(syllable)) rows.push(`('${ch}','${syllable}')`);
}
process.stdout.write(`INSERT INTO "hanzi_pinyin" ("ch", "syllable") VALUES\n${rows.join(",\n")};\n`);
