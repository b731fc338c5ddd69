import { useTranslation } from "react-i18next";

/** Picks the Chinese or English name of a row for the reader's language. */
export function useLocalizedName() {
  const { i18n } = useTranslation();
  const english = i18n.language === "en";
  return (row: { nameZh: string; nameEn: string }) => (english ? row.nameEn : row.nameZh);
}
