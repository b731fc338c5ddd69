import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig, type Plugin } from "vite";
import path from "node:path";
import { messagesPerLanguage } from "./shared/vite-messages-per-language";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

/** The entries' files; db/pglite-worker.ts is the PGlite thread's (docs/decisions/035). */
const entryFiles: Record<string, string> = { server: "server.js", "pglite-worker": "pglite-worker.js" };

/**
 * The server build also holds server.ts, compiled: `npm start` runs build/server/server.js with
 * plain node (no TypeScript compiler loaded at run time), and the app's modules that server.ts and
 * the routes share are one module each, in one shared chunk, not a copy on each side
 * (docs/decisions/034). `npm run dev` still runs server.ts through tsx. The SSR build also holds
 * the PGlite thread's entry, build/server/pglite-worker.js (docs/decisions/035).
 */
function serverEntry(): Plugin {
  return {
    name: "xinquan:server-entry",
    config(_config, env) {
      if (env.command !== "build" || !env.isSsrBuild) return;
      return {
        build: {
          rollupOptions: {
            input: [path.resolve(process.cwd(), "server.ts"), path.resolve(process.cwd(), "db/pglite-worker.ts")],
            output: { entryFileNames: (chunk) => entryFiles[chunk.name] ?? "index.js" },
          },
        },
      };
    },
  };
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
    serverEntry(),
  ],
  optimizeDeps: {
    include: ["socket.io-client", "hls.js", "zod", "@conform-to/react", "@conform-to/zod/v4", "i18next"],
  },
  build: { target: "es2022" },
  server: { port: 3000 },
});
