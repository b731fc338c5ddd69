import { useTranslation } from "~/i18n/react";

/** Picks the Chinese or English name of a row for the reader's language. */
export function useLocalizedName() {
  const { i18n } = useTranslation();
  const english = i18n.language === "en";
  return (row: { nameZh: string; nameEn: string }) => (english ? row.nameEn : row.nameZh);
}

type Translate = (key: string, params?: Record<string, string | number>) => string;

/**
 * An announcement's title and body in the reader's language: a system announcement stored as
 * parts (messageKey, messageParams) is rendered from alliance.system.<key>; any other shows its text.
 */
export function announcementText(
  a: {
    title: string;
    body: string;
    messageKey?: string | null;
    messageParams?: Record<string, string | number> | null;
  },
  t: Translate,
): { title: string; body: string } {
  if (!a.messageKey) return { title: a.title, body: a.body };
  const params = { ...(a.messageParams ?? {}) };
  if (typeof params.plaque === "string") params.plaque = t(`plaques.kinds.${params.plaque}`);
  return {
    title: t(`alliance.system.${a.messageKey}.title`, params),
    body: t(`alliance.system.${a.messageKey}.body`, params),
  };
}

/** announcementText with the reader's own translation. */
export function useAnnouncementText() {
  const { t } = useTranslation();
  return (a: Parameters<typeof announcementText>[0]) => announcementText(a, t);
}
