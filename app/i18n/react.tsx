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
  let t = fixedT.get(i18n);
  if (!t) {
    t = memoizedPlainKeys(i18n.getFixedT(i18n.language));
    fixedT.set(i18n, t);
  }
  return { t, i18n };
}

/**
 * `t(key)` without options always gives the same text for one locale's instance, and most calls
 * of a render are such: each is looked up once per process instead of on every render
 * (i18next's key resolution was ~5 % of an uncached page's CPU, docs/decisions/031).
 */
function memoizedPlainKeys(t: TFunction): TFunction {
  const plain = new Map<string, string>();
  const call = t as unknown as (...args: unknown[]) => unknown;
  const memoized = (...args: unknown[]) => {
    const key = args[0];
    if (args.length !== 1 || typeof key !== "string") return call(...args);
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
