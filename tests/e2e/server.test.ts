import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { smsCodeFromLog } from "../helpers/sms";
import { startApp, type RunningApp } from "../helpers/app";

/** The production server over HTTP, as a browser or a monitor sees it (no browser needed). */
let app: RunningApp;
beforeAll(async () => {
  app = await startApp({ seededDataDir: inject("e2e").seededDataDir });
});
afterAll(async () => {
  await app?.stop();
});

describe("the production server", () => {
  it("serves the home page in Chinese with the district's real counts", async () => {
    const response = await fetch(app.url);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<html lang="zh-CN"');
    expect(html).toMatch(/data-testid="stat-shops".*?<dd>754<\/dd>/s);
    expect(html).toMatch(/data-testid="stat-stalls".*?<dd>128<\/dd>/s);
    expect(html).toMatch(/data-testid="stat-streets".*?<dd>19<\/dd>/s);
    expect(html).toMatch(/data-testid="stat-grids".*?<dd>8<\/dd>/s);
  });

  // React 18.3's Node renderer wrote NUL bytes where a character crossed its 2 KB pieces
  // (react/react#31134; patches/react-dom+18.3.1.patch): 138 of 300 demo pages had them.
  it("sends pages as clean UTF-8, with no NUL bytes where Chinese text crosses React's pieces", async () => {
    const paths = ["/", "/shops", `/shops?q=${encodeURIComponent("面")}`, "/map", "/alliance", "/live"];
    for (let id = 1; id <= 24; id++) paths.push(`/shops/${id}`);
    for (const pathname of paths) {
      const response = await fetch(app.url + pathname);
      expect(response.status, pathname).toBe(200);
      const bytes = new Uint8Array(await response.arrayBuffer());
      expect(bytes.indexOf(0), `${pathname}: first NUL byte`).toBe(-1);
      expect(() => new TextDecoder("utf-8", { fatal: true }).decode(bytes), pathname).not.toThrow();
    }
  });

  it("serves English when the language cookie says so", async () => {
    const html = await (await fetch(app.url, { headers: { cookie: "xq_locale=en" } })).text();
    expect(html).toContain('<html lang="en"');
    expect(html).toContain("Shangmao Community Trusted Business Circle");
  });

  it("sends the security headers, with a fresh script nonce per response", async () => {
    const [first, second] = await Promise.all([fetch(app.url), fetch(app.url)]);
    const csp = first.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    const nonce = csp.match(/'nonce-([^']+)'/)![1];
    expect(second.headers.get("content-security-policy")).not.toContain(nonce);
    const html = await first.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    expect(first.headers.get("x-content-type-options")).toBe("nosniff");
    expect(first.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(first.headers.get("x-request-id")).toMatch(/^[0-9a-f]{12}$/);
  });

  it("refuses a form posted from another site, in the reader's language", async () => {
    const response = await fetch(`${app.url}/register`, {
      method: "POST",
      headers: {
        origin: "https://evil.example",
        "content-type": "application/x-www-form-urlencoded",
        cookie: "xq_locale=en",
      },
      body: "phone=13912345678&displayName=x&password=12345678",
      redirect: "manual",
    });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("came from another site");
    // Nothing was written: the phone can still register, from the site itself (with its SMS code).
    const form = { "content-type": "application/x-www-form-urlencoded" };
    const send = await fetch(`${app.url}/register`, {
      method: "POST",
      headers: { origin: app.url, ...form },
      body: "intent=send-code&phone=13912345678",
    });
    expect(send.status).toBe(200);
    const code = await smsCodeFromLog(app.output, "13912345678");
    const own = await fetch(`${app.url}/register`, {
      method: "POST",
      headers: { origin: app.url, ...form },
      body: `phone=13912345678&displayName=x&password=12345678&code=${code}`,
      redirect: "manual",
    });
    expect(own.status).toBe(302);
  });

  it("has no SMS outbox page in production, and registration needs the code", async () => {
    expect((await fetch(`${app.url}/dev/sms`)).status).toBe(404);
    const noCode = await fetch(`${app.url}/register`, {
      method: "POST",
      headers: { origin: app.url, "content-type": "application/x-www-form-urlencoded" },
      body: "phone=13912345699&displayName=x&password=12345678",
      redirect: "manual",
    });
    expect(noCode.status).toBe(400);
  });

  it("answers an unknown page with a localized 404", async () => {
    const zh = await fetch(`${app.url}/no/such/page`);
    expect(zh.status).toBe(404);
    expect(await zh.text()).toContain("页面不存在");
    const en = await fetch(`${app.url}/no/such/page`, { headers: { cookie: "xq_locale=en" } });
    expect(await en.text()).toContain("Page not found");
  });

  it("answers 403 to a resident on a staff page, and sends a visitor to log in", async () => {
    const visitor = await fetch(`${app.url}/admin/claim-codes`, { redirect: "manual" });
    expect(visitor.status).toBe(302);
    expect(visitor.headers.get("location")).toBe("/login?redirectTo=%2Fadmin%2Fclaim-codes");
    const login = await fetch(`${app.url}/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "phone=13800000001&password=xinquan2026&redirectTo=/",
      redirect: "manual",
    });
    expect(login.status).toBe(302);
    const cookie = login.headers.get("set-cookie")!.split(";")[0];
    expect(login.headers.get("set-cookie")).toMatch(/HttpOnly/i);
    expect(login.headers.get("set-cookie")).toMatch(/SameSite=Lax/i);
    expect(login.headers.get("set-cookie")).toMatch(/Secure/i);
    const resident = await fetch(`${app.url}/admin/claim-codes`, { headers: { cookie }, redirect: "manual" });
    expect(resident.status).toBe(403);
    expect(await resident.text()).toContain("没有权限");
  });

  it("reports health", async () => {
    const response = await fetch(`${app.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("ok");
  });

  it("logs structured JSON lines", () => {
    const lines = app.output().split("\n").filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
  });
});

describe("start-up failures", () => {
  it("stops with a clear message and a non-zero exit when a migration fails", () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "xq-badmigration-"));
    fs.cpSync(path.resolve("db/migrations"), path.join(cwd, "db/migrations"), { recursive: true });
    const journal = JSON.parse(fs.readFileSync(path.join(cwd, "db/migrations/meta/_journal.json"), "utf8"));
    journal.entries.push({
      idx: journal.entries.length,
      version: "7",
      when: Date.now(),
      tag: "9999_broken",
      breakpoints: true,
    });
    fs.writeFileSync(path.join(cwd, "db/migrations/meta/_journal.json"), JSON.stringify(journal));
    fs.writeFileSync(path.join(cwd, "db/migrations/9999_broken.sql"), "ALTER TABLE no_such_table ADD COLUMN x int;");
    const result = spawnSync(
      process.execPath,
      [path.resolve("node_modules/tsx/dist/cli.mjs"), path.resolve("db/migrate.ts")],
      {
        cwd,
        env: { ...process.env, XQ_DATA_DIR: path.join(cwd, ".data"), DATABASE_URL: "" },
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    fs.rmSync(cwd, { recursive: true, force: true });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("migration failed");
    expect(result.stderr).toContain("no_such_table");
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)("when something breaks underneath (Postgres server)", () => {
  it("answers a 500 page whose error id is in the log, and 503 on /healthz once the database is gone", async () => {
    const { default: postgres } = await import("postgres");
    const { databaseUrl } = await import("../helpers/postgres-url");
    const adminUrl = process.env.TEST_DATABASE_URL!;
    const name = `xq_e2e_${Date.now().toString(36)}`;
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE "${name}"`);
    const broken = await startApp({ env: { DATABASE_URL: databaseUrl(adminUrl, name) } });
    try {
      expect((await fetch(broken.url)).status).toBe(200);
      const inside = postgres(databaseUrl(adminUrl, name), { max: 1, onnotice: () => {} });
      await inside.unsafe(`ALTER TABLE streets RENAME TO streets_gone`);
      await inside.end();
      const response = await fetch(broken.url, { headers: { cookie: "xq_locale=en" } });
      expect(response.status).toBe(500);
      const html = await response.text();
      const id = html.match(/Error id: ([0-9a-f]{12})/)![1];
      expect(response.headers.get("x-request-id")).toBe(id);
      await expect.poll(() => broken.output()).toContain(`"requestId":"${id}"`);
      const logLine = broken
        .output()
        .split("\n")
        .find((l) => l.includes(id) && l.includes('"level":"error"'))!;
      expect(JSON.parse(logLine).msg).toBe("unexpected server error");

      await admin.unsafe(`DROP DATABASE "${name}" WITH (FORCE)`);
      expect((await fetch(`${broken.url}/healthz`)).status).toBe(503);
    } finally {
      await broken.stop();
      await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
  });
});

describe("shutting down", () => {
  it("stops on SIGTERM: closes sockets and the database, exits 0", async () => {
    const { io } = await import("socket.io-client");
    const running = await startApp({ seededDataDir: inject("e2e").seededDataDir, env: { LOG_LEVEL: "info" } });
    const socket = io(running.url, { transports: ["websocket"], reconnection: false });
    await new Promise<void>((resolve, reject) => {
      socket.on("connect", () => resolve());
      socket.on("connect_error", reject);
    });
    const disconnected = new Promise<string>((resolve) => socket.on("disconnect", (reason) => resolve(reason)));
    expect(await running.stop()).toBe(0);
    expect(await disconnected).toBeTruthy();
    expect(running.output()).toContain('"msg":"stopped"');
  });
});
