import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { z } from "zod";
import { loadLocale } from "./i18n/i18n";
import { isLocale } from "./i18n/locales";

// zod would otherwise probe `new Function("")` on the first form check, which the CSP refuses and
// reports; without eval it parses the same, only without its compiled fast path.
z.config({ jitless: true });

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
