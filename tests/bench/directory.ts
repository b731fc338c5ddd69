import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import autocannon from "autocannon";
import { sql } from "drizzle-orm";
import { migrateDatabase, openDatabase, rowsOf } from "../../db/client";
import { seedDistrict } from "../../db/seed";
import { directoryFilterSchema } from "../../app/domain/directory/filters";
import { querySearch } from "../../app/domain/directory/search.server";
import { startApp } from "../helpers/app";

const shopsQuery = `/shops?q=${encodeURIComponent("面")}&plaque=any&kind=shop`;
const staticPath = "/__bench/shops.html";

async function load(url: string) {
  const result = await autocannon({ url, connections: 50, duration: 10, pipelining: 1 });
  if (result.non2xx || result.errors) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { p50: result.latency.p50, p99: result.latency.p99, rps: Math.round(result.requests.average) };
}

/** JavaScript the browser loads for a page: its scripts and module preloads, gzipped. */
async function javascriptFor(origin: string, pagePath: string) {
  const html = await (await fetch(origin + pagePath)).text();
  const urls = new Set<string>();
  for (const m of html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="([^"]+\.js)"/g))
    urls.add(m[1]);
  for (const m of html.matchAll(/import\("([^"]+\.js)"\)|import "([^"]+\.js)"|"(\/assets\/[^"]+\.js)"/g))
    urls.add(m[1] ?? m[2] ?? m[3]);
  let gzipped = 0;
  const names: string[] = [];
  for (const url of urls) {
    const body = Buffer.from(await (await fetch(new URL(url, origin))).arrayBuffer());
    gzipped += zlib.gzipSync(body, { level: 9 }).length;
    names.push(path.basename(url));
  }
  return { kb: Math.round((gzipped / 1024) * 10) / 10, names };
}

export async function benchDirectory() {
  const app = await startApp({ env: { LOG_LEVEL: "warn" } });
  const staticFile = path.resolve("build/client", staticPath.slice(1));
  try {
    const html = await (await fetch(app.url + shopsQuery)).text();
    fs.mkdirSync(path.dirname(staticFile), { recursive: true });
    fs.writeFileSync(staticFile, html);
    await load(app.url + shopsQuery); // warm-up
    const dynamic = await load(app.url + shopsQuery);
    const ceiling = await load(app.url + staticPath);
    const js = await javascriptFor(app.url, shopsQuery);
    return {
      "GET /shops (filter + search), 50 connections: p50 / p99 ms": `${dynamic.p50} / ${dynamic.p99}`,
      "GET /shops requests per second": dynamic.rps,
      "static page of the same size (ceiling): p50 / p99 ms": `${ceiling.p50} / ${ceiling.p99}`,
      "static page requests per second": ceiling.rps,
      "page size, KB": Math.round(html.length / 1024),
      "JavaScript for /shops, KB gzipped": js.kb,
      "hls.js or socket.io among /shops scripts": js.names.some((n) => /hls|socket/i.test(n)) ? "YES" : "no",
    };
  } finally {
    fs.rmSync(path.dirname(staticFile), { recursive: true, force: true });
    await app.stop();
  }
}

/** The same search on a district 100 times larger (88,200 businesses), in its own PGlite database. */
export async function benchDirectoryLarge() {
  const database = await openDatabase({});
  await migrateDatabase(database);
  await seedDistrict(database.db);
  const began = performance.now();
  await database.db.execute(sql`
    INSERT INTO businesses (code, kind, name, category_code, storefront_id, stall_id, description, owner_name,
                            day_opens_at, day_closes_at, night_opens_at, night_closes_at)
    SELECT b.code || '-' || n, b.kind, b.name || n, b.category_code, b.storefront_id, b.stall_id, b.description, b.owner_name,
           b.day_opens_at, b.day_closes_at, b.night_opens_at, b.night_closes_at
      FROM businesses b CROSS JOIN generate_series(1, 99) AS n`);
  await database.db.execute(sql`ANALYZE businesses`);
  const buildMs = performance.now() - began;
  const [{ n }] = rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from businesses`));
  const figures: Record<string, string | number> = { businesses: n, "building it, s": Math.round(buildMs / 100) / 10 };
  for (const q of ["面", "茶", "面馆", "钧瓷", "钧瓷 茶", "路", "lwhm", "laowang", "mian", "s0001"]) {
    const filters = directoryFilterSchema.parse({ q });
    const times: number[] = [];
    let total = 0;
    for (let i = 0; i < 60; i++) {
      const t0 = performance.now();
      total = (await querySearch(database.db, filters)).total; // uncached: the query itself
      if (i >= 10) times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const p = (q: number) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))] * 10) / 10;
    figures[`q=${q} (${total} matches): p50 / p99 ms`] = `${p(0.5)} / ${p(0.99)}`;
  }
  await database.close();
  return figures;
}
