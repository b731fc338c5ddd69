import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { loadLocale } from "./i18n/i18n";
import { isLocale } from "./i18n/locales";

// The page's language decides which messages to fetch before hydrating.
const lang = document.documentElement.lang;
await loadLocale(isLocale(lang) ? lang : "zh-CN");

startTransition(() => {
  hydrateRoot(
    document,
    <StrictMode>
      <RemixBrowser />
    </StrictMode>,
  );
});
