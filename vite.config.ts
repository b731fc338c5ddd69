import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import path from "node:path";
import { messagesPerLanguage } from "./shared/vite-messages-per-language";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  resolve: { alias: { "~": path.resolve(process.cwd(), "app") } },
  plugins: [
    // Chinese pages carry only the Chinese messages, English pages only the English ones.
    messagesPerLanguage(),
    remix({
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        v3_lazyRouteDiscovery: true,
      },
    }),
  ],
  optimizeDeps: {
    include: ["socket.io-client", "hls.js", "zod", "@conform-to/react", "@conform-to/zod/v4", "i18next"],
  },
  build: { target: "es2022" },
  server: { port: 3000 },
});
