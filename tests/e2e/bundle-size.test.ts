import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { describe, expect, it } from "vitest";

/**
 * The JavaScript a phone downloads for /shops, gzipped, from the production build the browser
 * tests run (tests/helpers/setup-e2e.ts builds it): issue 16 keeps it under 150 KB. The English
 * messages are their own chunk, fetched only by English pages.
 */
const assets = path.join(process.cwd(), "build/client/assets");

function manifest() {
  const file = fs.readdirSync(assets).find((f) => f.startsWith("manifest-"));
  if (!file) throw new Error("no Remix manifest in build/client/assets");
  const source = fs.readFileSync(path.join(assets, file), "utf8");
  return JSON.parse(source.slice(source.indexOf("{"), source.lastIndexOf("}") + 1)) as {
    entry: { module: string; imports: string[] };
    routes: Record<string, { module: string; imports?: string[] }>;
  };
}

const gzipped = (url: string) => zlib.gzipSync(fs.readFileSync(path.join(assets, path.basename(url)))).length;

describe("the JavaScript of /shops", () => {
  it("is under 150 KB gzipped, and a Chinese page's carries no English messages", () => {
    const m = manifest();
    const files = new Set([m.entry.module, ...m.entry.imports]);
    for (const route of ["root", "routes/shops._index"]) {
      files.add(m.routes[route].module);
      for (const f of m.routes[route].imports ?? []) files.add(f);
    }
    const total = [...files].reduce((sum, f) => sum + gzipped(f), 0);
    console.log(`/shops JavaScript: ${files.size} files, ${(total / 1024).toFixed(1)} KB gzipped`);
    expect(total).toBeLessThan(150 * 1024);
    const text = [...files].map((f) => fs.readFileSync(path.join(assets, path.basename(f)), "utf8")).join("\n");
    expect(text).toContain("网格地图");
    expect(text).not.toContain("Grid map");
  });
});
