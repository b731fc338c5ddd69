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
    t = i18n.getFixedT(i18n.language);
    fixedT.set(i18n, t);
  }
  return { t, i18n };
}
