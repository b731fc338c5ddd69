import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { auditSentence, type AuditLineData } from "~/components/audit-sentence";
import { AUDIT_ACTIONS, AUDIT_AREAS, type AuditAction } from "~/domain/audit-actions";
import { createI18n, loadLocale } from "~/i18n/i18n";
import { en } from "~/i18n/messages/en";
import { zhCN } from "~/i18n/messages/zh-CN";

const root = process.cwd();

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx)$/.test(entry.name) ? [full] : [];
  });
}

/** The action of every recordAudit(db, actor, action, …) call in app/ and livestream/: literal codes and `prefix.${...}` templates. */
function writtenCodes() {
  const literals = new Map<string, string>();
  const templates = new Map<string, string>();
  let calls = 0;
  for (const file of [...sourceFiles(path.join(root, "app")), ...sourceFiles(path.join(root, "livestream"))]) {
    const source = fs.readFileSync(file, "utf8");
    for (const call of source.matchAll(/recordAudit\(\s*\w+\s*,\s*[\w.!]+\s*,\s*([^,]+),/g)) {
      calls += 1;
      const expression = call[1];
      const where = `${path.relative(root, file)} (${expression.trim()})`;
      // The codes (a word, a dot, a word), not the values a condition compares with.
      const found = [...expression.matchAll(/"(\w+\.\w+)"/g)].map((m) => m[1]);
      for (const code of found) literals.set(code, where);
      for (const m of expression.matchAll(/`([^`$]*)\$\{/g)) templates.set(m[1], where);
      if (found.length === 0 && !expression.includes("`"))
        throw new Error(`${where}: an audit action this test cannot read; write it as a literal or a template`);
    }
  }
  return { literals, templates, calls };
}

const codes = Object.keys(AUDIT_ACTIONS) as AuditAction[];
const sentenceOf = (messages: typeof zhCN | typeof en, code: string): unknown => {
  const [head, ...rest] = code.split(".");
  return (messages.audit.actions as Record<string, Record<string, unknown>>)[head]?.[rest.join(".")];
};

describe("every audit action the code writes reads as a sentence", () => {
  const written = writtenCodes();

  it("finds the audit calls in the code base", () => {
    expect(written.calls).toBeGreaterThan(90);
    expect(written.literals.size).toBeGreaterThan(90);
  });

  it("lists every code written anywhere in app/ in the registry", () => {
    const unlisted = [...written.literals]
      .filter(([code]) => !(code in AUDIT_ACTIONS))
      .map(([c, where]) => `${c} in ${where}`);
    expect(unlisted).toEqual([]);
    for (const [prefix, where] of written.templates) {
      expect(
        codes.some((c) => c.startsWith(prefix)),
        `${where}: no listed code starts with ${prefix}`,
      ).toBe(true);
    }
  });

  it("lists no code that nothing writes", () => {
    const stale = codes.filter(
      (code) => !written.literals.has(code) && ![...written.templates.keys()].some((prefix) => code.startsWith(prefix)),
    );
    expect(stale).toEqual([]);
  });

  it("has a sentence in Chinese and English for each code, naming who did it", () => {
    for (const code of codes) {
      for (const messages of [zhCN, en]) {
        const sentence = sentenceOf(messages, code);
        expect(typeof sentence, `${code}`).toBe("string");
        expect(sentence as string, code).toContain("{{actor}}");
      }
    }
  });

  it("puts every code in a named area", () => {
    for (const code of codes) expect(AUDIT_AREAS).toContain(AUDIT_ACTIONS[code]);
    for (const area of AUDIT_AREAS) {
      expect(zhCN.audit.areas[area]).toBeTruthy();
      expect(en.audit.areas[area]).toBeTruthy();
    }
  });
});

describe("an audit sentence, built from its parts", () => {
  beforeAll(() => loadLocale("en"));
  const text = (line: AuditLineData, locale: "zh-CN" | "en") =>
    auditSentence(line, createI18n(locale).t)
      .map((p) => p.text)
      .join("");
  const base = {
    id: 1,
    at: "2026-12-06T00:00:00.000Z",
    actor: { name: "吴静", phone: "138****0010" },
    details: {},
    reason: null,
  } satisfies Partial<AuditLineData>;

  it("names the person, the role and the target, and links the target", () => {
    const line: AuditLineData = {
      ...base,
      action: "role.granted",
      area: "accounts",
      details: { role: "mediator" },
      target: { type: "user", params: { name: "李娜", phone: "138****0001" }, href: null },
    };
    expect(text(line, "zh-CN")).toBe("吴静（138****0010） 授予 李娜（138****0001）「调解员」身份");
    expect(text(line, "en")).toBe("吴静 (138****0010) gave 李娜 (138****0001) the role Mediator");
    const shop: AuditLineData = {
      ...base,
      action: "claim_code.issued",
      area: "accounts",
      target: { type: "business", params: { name: "老王烩面馆", code: "S0001" }, href: "/shops/1" },
    };
    expect(auditSentence(shop, createI18n("en").t)).toContainEqual({
      kind: "target",
      text: "老王烩面馆 (S0001)",
      href: "/shops/1",
    });
  });

  it("says the system did what a background job did", () => {
    const line: AuditLineData = {
      ...base,
      actor: null,
      action: "proposal.adopted",
      area: "alliance",
      target: { type: "proposal", params: { title: "夜市延长" }, href: "/alliance/proposals/3" },
    };
    expect(text(line, "en")).toBe("The system settled the vote: the proposal “夜市延长” was adopted");
  });

  it("reads an unknown code as a generic sentence in words, never as a bare id", () => {
    const line: AuditLineData = {
      ...base,
      action: "widget.colourChanged",
      area: null,
      target: { type: "other", params: { kind: "other", id: "42" }, href: null },
    };
    expect(text(line, "en")).toBe("吴静 (138****0010) did “widget colour changed” to item 42");
    expect(text(line, "zh-CN")).toBe("吴静（138****0010） 对 对象 42 执行了“widget colour changed”");
  });
});
