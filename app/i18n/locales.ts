import { locales, type Locale } from "../../db/schema/enums";

export { locales, type Locale };
export const defaultLocale: Locale = "zh-CN";
export const localeCookieName = "xq_locale";

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (locales as readonly string[]).includes(value);
}
