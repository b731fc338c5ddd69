import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { dropOtherLanguage } from "../../shared/vite-messages-per-language";

const area = fs.readFileSync(path.join(process.cwd(), "app/i18n/messages/areas/pages.ts"), "utf8");

describe("each language's bundle carries only its own messages", () => {
  it("keeps the Chinese of an area and drops its English, and the other way round", () => {
    const zh = dropOtherLanguage(area, "zh");
    const en = dropOtherLanguage(area, "en");
    expect(area).toContain("网格地图");
    expect(area).toContain("Grid map");
    expect(zh).toContain("网格地图");
    expect(zh).not.toContain("Grid map");
    expect(en).toContain("Grid map");
    expect(en).not.toContain("网格地图");
  });

  it("leaves a file without defineMessages as it is", () => {
    const source = 'export const x = { a: "甲", b: "B" };\n';
    expect(dropOtherLanguage(source, "zh")).toBe(source);
  });
});
