import i18next, { type i18n as I18n } from "i18next";
import { en } from "./messages/en";
import { zhCN } from "./messages/zh-CN";
import { defaultLocale, type Locale } from "./locales";

export const resources = {
  "zh-CN": { translation: zhCN },
  en: { translation: en },
} as const;

const instances = new Map<Locale, I18n>();

/**
 * The i18next instance of a locale: made once per process and shared (it is never switched to
 * another language; each locale has its own), on the server and in the browser.
 */
export function createI18n(locale: Locale): I18n {
  let instance = instances.get(locale);
  if (!instance) {
    instance = makeInstance(locale);
    instances.set(locale, instance);
  }
  return instance;
}

function makeInstance(locale: Locale): I18n {
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
