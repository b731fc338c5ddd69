import { createContext, useContext, type ReactNode } from "react";
import type { i18n as I18n, TFunction } from "i18next";

/**
 * What components translate with: the locale's shared i18next instance (app/i18n/i18n.ts) from
 * context, and its `t`. A page never switches language in place (the switch reloads the
 * document), so nothing here subscribes to language changes. react-i18next's hook did, and
 * copied the instance's property descriptors into a new wrapper object for every component on
 * every server render: about a tenth of the CPU of an uncached /shops (docs/decisions/027).
 */
const I18nContext = createContext<I18n | null>(null);
const fixedT = new WeakMap<I18n, TFunction>();

export function I18nProvider({ i18n, children }: { i18n: I18n; children: ReactNode }) {
  return <I18nContext.Provider value={i18n}>{children}</I18nContext.Provider>;
}

export function useTranslation(): { t: TFunction; i18n: I18n } {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error("useTranslation outside I18nProvider");
  return { t: translatorOf(i18n), i18n };
}

/** The `t` of a locale's instance, made once: what useTranslation gives every component. */
export function translatorOf(i18n: I18n): TFunction {
  let t = fixedT.get(i18n);
  if (!t) {
    t = memoizedPlainKeys(i18n.getFixedT(i18n.language), i18n);
    fixedT.set(i18n, t);
  }
  return t;
}

/**
 * `t(key)` without options always gives the same text for one locale's instance, and most calls
 * of a render are such: each is looked up once per process instead of on every render
 * (i18next's key resolution was ~5 % of an uncached page's CPU, docs/decisions/031).
 *
 * `t(key, { name: value })` with plain `{{name}}` placeholders, each given a string or a number,
 * is filled from the message split once at its placeholders (docs/decisions/046): i18next
 * resolved the key, its plural forms and its interpolation options on every call (8 % of an
 * uncached `/shops`). Anything else (a missing or extra option, `count` where plural forms exist,
 * a format, nesting) is i18next's; tests/unit/translate.test.ts checks every message both ways.
 */
function memoizedPlainKeys(t: TFunction, i18n: I18n): TFunction {
  const plain = new Map<string, string>();
  const templates = new Map<string, Template | null>();
  const call = t as unknown as (...args: unknown[]) => unknown;
  const memoized = (...args: unknown[]) => {
    const key = args[0];
    if (typeof key !== "string") return call(...args);
    if (args.length === 2 && typeof args[1] === "object" && args[1] !== null) {
      let template = templates.get(key);
      if (template === undefined) {
        template = templateOf(i18n, key);
        templates.set(key, template);
      }
      const filled = template && fill(template, args[1] as Record<string, unknown>);
      return filled ?? call(...args);
    }
    if (args.length !== 1) return call(...args);
    let text = plain.get(key);
    if (text === undefined) {
      const value = call(key);
      if (typeof value !== "string") return value;
      text = value;
      plain.set(key, text);
    }
    return text;
  };
  return Object.assign(memoized, t);
}

/** A message split at its placeholders: `parts` has one more element than `names`. */
interface Template {
  parts: string[];
  names: string[];
}

const pluralSuffixes = ["_zero", "_one", "_two", "_few", "_many", "_other"];

/** The message of `key` in the instance's own language, when it is plain text with `{{name}}`s. */
function templateOf(i18n: I18n, key: string): Template | null {
  const raw: unknown = i18n.getResource(i18n.language, "translation", key);
  if (typeof raw !== "string" || raw.includes("$t(")) return null;
  if (pluralSuffixes.some((suffix) => i18n.getResource(i18n.language, "translation", key + suffix) !== undefined))
    return null;
  const parts: string[] = [];
  const names: string[] = [];
  let last = 0;
  for (const match of raw.matchAll(/\{\{([^{}]*)\}\}/g)) {
    // A format ("{{n, number}}"), an unescaped ("{{- n}}") or a nested ("{{a.b}}") value is never
    // an option's name: fill() leaves such a message to i18next.
    const name = match[1].trim();
    parts.push(raw.slice(last, match.index));
    names.push(name);
    last = match.index + match[0].length;
  }
  parts.push(raw.slice(last));
  return { parts, names };
}

/** The message with its values, or null when the options are not exactly its placeholders' strings and numbers. */
function fill({ parts, names }: Template, options: Record<string, unknown>): string | null {
  for (const option in options) if (!names.includes(option)) return null;
  let text = parts[0];
  for (let i = 0; i < names.length; i++) {
    const value = options[names[i]];
    if (typeof value !== "string" && typeof value !== "number") return null;
    text += String(value) + parts[i + 1];
  }
  return text;
}
