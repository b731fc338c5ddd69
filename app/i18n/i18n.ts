import i18next, { type i18n as I18n } from "i18next";
import type { Messages } from "./messages/zh-CN";
import { zhCN } from "./messages/zh-CN";
import { defaultLocale, type Locale } from "./locales";

/**
 * Chinese, the default, is in every bundle. English is its own chunk: the browser loads it
 * before hydrating only when the page is in English (entry.client.tsx), the server at start-up
 * (entry.server.tsx, server.ts), so a Chinese page does not carry the English messages.
 */
const loaded: Partial<Record<Locale, Messages>> = { "zh-CN": zhCN };

export async function loadLocale(locale: Locale): Promise<void> {
  if (loaded[locale]) return;
  if (locale === "en") loaded.en = (await import("./messages/en")).en;
}

const instances = new Map<Locale, I18n>();

/**
 * The i18next instance of a locale: made once per process and shared (it is never switched to
 * another language; each locale has its own), on the server and in the browser.
 */
export function createI18n(locale: Locale): I18n {
  let instance = instances.get(locale);
  if (!instance) {
    const messages = loaded[locale];
    if (!messages) throw new Error(`messages for ${locale} are not loaded: await loadLocale("${locale}") first`);
    instance = makeInstance(locale, messages);
    instances.set(locale, instance);
  }
  return instance;
}

function makeInstance(locale: Locale, messages: Messages): I18n {
  const instance = i18next.createInstance();
  void instance.init({
    lng: locale,
    fallbackLng: defaultLocale,
    resources: {
      [locale]: { translation: messages },
      ...(locale === defaultLocale ? {} : { [defaultLocale]: { translation: zhCN } }),
    },
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}
