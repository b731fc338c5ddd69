import i18next, { type i18n as I18n } from "i18next";
import { en } from "./messages/en";
import { zhCN } from "./messages/zh-CN";
import { defaultLocale, type Locale } from "./locales";

export const resources = {
  "zh-CN": { translation: zhCN },
  en: { translation: en },
} as const;

/** A synchronous i18next instance for one locale; used on the server per request and once in the browser. */
export function createI18n(locale: Locale): I18n {
  const instance = i18next.createInstance();
  void instance.init({
    lng: locale,
    fallbackLng: defaultLocale,
    resources,
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}
