import path from "node:path";
import ts from "typescript";
import type { Plugin } from "vite";

/**
 * Each message area (app/i18n/messages/areas/*.ts) keeps its Chinese and English side by side in
 * one `defineMessages(zh, en)` call, which is what keeps the two in step. Bundled as written,
 * the Chinese messages (zh-CN.ts, in every page's JavaScript) would carry every English string
 * too. This plugin gives zh-CN.ts and en.ts each their own copy of an area, with the other
 * language's object literal replaced by `{}` (nothing reads it: zh-CN.ts takes `.zh`, en.ts
 * `.en`). Type checking still reads the files as written.
 */
const areasFolder = `${path.sep}i18n${path.sep}messages${path.sep}areas${path.sep}`;
const languageOf: Record<string, "zh" | "en"> = { "zh-CN.ts": "zh", "en.ts": "en" };
const suffix = "?messages-lang=";

export function messagesPerLanguage(): Plugin {
  return {
    name: "xinquan:messages-per-language",
    enforce: "pre",
    async resolveId(source, importer) {
      if (!importer || !source.startsWith("./areas/")) return null;
      const lang = languageOf[path.basename(importer.split("?")[0])];
      if (!lang || !importer.includes(`${path.sep}i18n${path.sep}messages${path.sep}`)) return null;
      const resolved = await this.resolve(source, importer, { skipSelf: true });
      return resolved ? `${resolved.id}${suffix}${lang}` : null;
    },
    load(id) {
      const at = id.indexOf(suffix);
      if (at < 0) return null;
      const file = id.slice(0, at);
      if (!file.includes(areasFolder)) return null;
      const keep = id.slice(at + suffix.length) as "zh" | "en";
      return { code: dropOtherLanguage(ts.sys.readFile(file) ?? "", keep, file) };
    },
  };
}

/** The source with the other language's argument of each `defineMessages(zh, en)` call emptied. */
export function dropOtherLanguage(source: string, keep: "zh" | "en", fileName = "area.ts"): string {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const cuts: { start: number; end: number }[] = [];
  const visit = (node: ts.Node) => {
    if (
      ts.isCallExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === "defineMessages" &&
      node.arguments.length === 2
    ) {
      const drop = node.arguments[keep === "zh" ? 1 : 0];
      cuts.push({ start: drop.getStart(file), end: drop.getEnd() });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  let out = source;
  for (const cut of cuts.sort((a, b) => b.start - a.start))
    out = `${out.slice(0, cut.start)}{} as never${out.slice(cut.end)}`;
  return out;
}
