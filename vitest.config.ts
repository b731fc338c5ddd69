import path from "node:path";
import { defineConfig } from "vitest/config";

/**
 * Projects: unit tests; integration tests on PGlite (always) and on a Postgres server (when
 * TEST_DATABASE_URL is set); browser tests against the production build in Debian's Chromium.
 */
const postgresUrl = process.env.TEST_DATABASE_URL;

const integration = (name: string, setup: string, kind: string) => ({
  extends: true as const,
  test: {
    name,
    include: ["tests/integration/**/*.test.ts"],
    // *.pg.test.ts need what only the Postgres server has (roles, pageinspect).
    exclude: kind === "pglite" ? ["tests/integration/**/*.pg.test.ts"] : [],
    globalSetup: [setup],
    env: { XQ_TEST_DB: kind },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

export default defineConfig({
  resolve: { alias: { "~": path.resolve(process.cwd(), "app") } },
  test: {
    pool: "forks",
    setupFiles: ["tests/helpers/fail-on-console-error.ts"],
    projects: [
      { extends: true, test: { name: "unit", include: ["tests/unit/**/*.test.ts"] } },
      integration("integration:pglite", "tests/helpers/setup-pglite.ts", "pglite"),
      ...(postgresUrl ? [integration("integration:postgres", "tests/helpers/setup-postgres.ts", "postgres")] : []),
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          globalSetup: ["tests/helpers/setup-e2e.ts"],
          // Added to the root's setupFiles (extends: true merges the lists).
          setupFiles: ["tests/helpers/axe-every-page.ts"],
          // axe checks every page a journey loads (tests/helpers/axe.ts): journeys take longer.
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
