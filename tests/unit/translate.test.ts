import i18next from "i18next";
import { beforeAll, describe, expect, it } from "vitest";
import { createI18n, loadLocale } from "~/i18n/i18n";
import { locales } from "~/i18n/locales";
import { translatorOf } from "~/i18n/react";

/**
 * The `t` components get fills plain `{{name}}` messages itself (docs/decisions/046). For every
 * message of every language, with its placeholders given as strings or numbers, and with the
 * options i18next must still handle (missing, extra, count, context, default values), it must
 * give exactly what i18next gives.
 */
function leaves(tree: unknown, prefix = ""): [string, string][] {
  if (typeof tree === "string") return [[prefix, tree]];
  if (tree === null || typeof tree !== "object") return [];
  return Object.entries(tree).flatMap(([key, value]) => leaves(value, prefix ? `${prefix}.${key}` : key));
}

function placeholders(message: string): string[] {
  return [...new Set([...message.matchAll(/\{\{([^{}]*)\}\}/g)].map((m) => m[1].trim()))];
}

beforeAll(() => loadLocale("en"));

describe("t(key, values) gives what i18next gives", () => {
  for (const locale of locales) {
    it(`for every message in ${locale}`, () => {
      const i18n = createI18n(locale);
      const ours = translatorOf(i18n) as unknown as (key: string, options?: object) => unknown;
      const theirs = i18n.getFixedT(locale) as unknown as (key: string, options?: object) => unknown;
      const messages = leaves(i18n.getResourceBundle(locale, "translation"));
      expect(messages.length).toBeGreaterThan(500);
      let withValues = 0;
      for (const [key, message] of messages) {
        const names = placeholders(message);
        if (names.length > 0) withValues++;
        const cases: Record<string, unknown>[] = [
          Object.fromEntries(names.map((name, i) => [name, i % 2 ? 1234 + i : `值${i} {{x}} $t(nav.home)`])),
          Object.fromEntries(names.map((name) => [name, 0])),
          Object.fromEntries(names.slice(1).map((name) => [name, "partial"])),
          { ...Object.fromEntries(names.map((name) => [name, "v"])), extra: "e" },
          { ...Object.fromEntries(names.map((name) => [name, "v"])), count: 2 },
          { ...Object.fromEntries(names.map((name) => [name, "v"])), context: "male" },
          { defaultValue: "d" },
          {},
        ];
        for (const options of cases)
          expect(ours(key, options), `${locale} ${key} ${JSON.stringify(options)}`).toEqual(theirs(key, options));
      }
      expect(withValues).toBeGreaterThan(50);
    });
  }

  it("leaves plural forms, formats and nesting to i18next", () => {
    const i18n = i18next.createInstance();
    void i18n.init({
      lng: "en",
      initAsync: false,
      interpolation: { escapeValue: false },
      resources: {
        en: {
          translation: {
            apples_one: "{{count}} apple",
            apples_other: "{{count}} apples",
            apples: "apples: {{count}}",
            price: "{{amount, number}} yuan",
            raw: "{{- html}}!",
            nested: "Go $t(home)",
            home: "home",
            deep: "{{user.name}} says hi",
          },
        },
      },
    });
    const ours = translatorOf(i18n) as unknown as (key: string, options?: object) => unknown;
    expect(ours("apples", { count: 1 })).toBe("1 apple");
    expect(ours("apples", { count: 3 })).toBe("3 apples");
    expect(ours("price", { amount: 1200 })).toBe(i18n.t("price", { amount: 1200 }));
    expect(ours("raw", { html: "<b>" })).toBe("<b>!");
    expect(ours("nested", {})).toBe("Go home");
    expect(ours("deep", { user: { name: "Ann" } })).toBe("Ann says hi");
  });
});
