import type { MetaDescriptor } from "@remix-run/node";
import { createI18n } from "./i18n";
import { defaultLocale, type Locale } from "./locales";
import type { Messages } from "./messages/zh-CN";

export type PageKey = keyof Messages["pages"];

/** The page's locale, from the root loader's data among the matched routes. */
export function metaLocale(matches: readonly { id: string; data?: unknown }[]): Locale {
  const root = matches.find((m) => m.id === "root")?.data as { locale?: Locale } | undefined;
  return root?.locale ?? defaultLocale;
}

/**
 * A page's title and description, all in the page's language: `购物车 · 信圈` / `Cart · Xinquan`.
 * `page` is a key of `pages` in the messages, or a title and description already in that
 * language (a shop's name, a product's). `robots` adds `noindex` for pages no search engine wants.
 */
export function pageMeta(
  matches: readonly { id: string; data?: unknown }[],
  page: PageKey | { title: string; description?: string },
  options: { noindex?: boolean } = {},
): MetaDescriptor[] {
  const t = createI18n(metaLocale(matches)).t;
  const own =
    typeof page === "string" ? { title: t(`pages.${page}.title`), description: t(`pages.${page}.description`) } : page;
  return [
    { title: `${own.title} · ${t("app.name")}` },
    { name: "description", content: own.description || t("app.tagline") },
    ...(options.noindex ? [{ name: "robots", content: "noindex" }] : []),
  ];
}
