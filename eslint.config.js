// @ts-check
import js from "@eslint/js";
import jsxA11y from "eslint-plugin-jsx-a11y";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

/**
 * The rules a reviewer would insist on, not a wall of style (Prettier owns the layout):
 * promises are awaited or handled, switches over unions are exhaustive, hooks follow their rules,
 * pages are accessible, and the layers only import downwards (docs/architecture.md).
 */
const restricted = (patterns, paths = []) => ["error", { patterns, paths }];
const remixLinks = {
  name: "@remix-run/react",
  importNames: ["Link", "NavLink"],
  message:
    "Import Link and NavLink from ~/components/link: the same anchors, without a router round trip per link (docs/decisions/045).",
};
const noDb = {
  group: ["drizzle-orm", "drizzle-orm/*", "**/db/*", "**/db/**", "~/../db/*"],
  message: "Routes and components reach the database through app/domain (docs/architecture.md).",
};
const noLivestream = {
  group: ["**/livestream/*", "**/livestream/**"],
  message: "app/domain does not depend on livestream/; shared protocol constants live in the domain.",
};
const noUi = {
  group: ["**/routes/*", "**/components/*", "~/routes/*", "~/components/*"],
  message: "app/domain does not import routes or components.",
};
const noDomain = {
  group: ["**/domain/*", "**/domain/**", "~/domain/*", "~/domain/**"],
  message: "app/lib is below app/domain and imports nothing from it.",
};
const noApp = {
  group: ["**/app/*", "**/app/**", "~/*"],
  message: "db/ imports nothing from app/.",
};
const sharedAlone = {
  group: ["**/app/*", "**/app/**", "~/*", "**/db/*", "**/db/**", "drizzle-orm", "drizzle-orm/*", "**/livestream/*"],
  message: "shared/ holds plain helpers for app/ and db/ alike and imports neither (nor livestream/).",
};

export default tseslint.config(
  {
    ignores: ["build/**", "public/build/**", ".data/**", ".cache/**", "node_modules/**", "test-results/**"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node, ...globals.browser },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      // Express 4 and socket.io middlewares are async functions that catch their own errors.
      "@typescript-eslint/no-misused-promises": [
        "error",
        { checksVoidReturn: { attributes: false, arguments: false } },
      ],
      "@typescript-eslint/prefer-promise-reject-errors": ["error", { allowThrowingUnknown: true }],
      "@typescript-eslint/switch-exhaustiveness-check": [
        "error",
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true },
      ],
      // Remix loaders throw Responses (redirects, 404s) by design.
      "@typescript-eslint/only-throw-error": "off",
      // Rows from SQL, JSON bodies and socket payloads are `any` at the edge and checked by zod.
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/require-await": "off",
      "@typescript-eslint/restrict-template-expressions": "off",
      "@typescript-eslint/no-redundant-type-constituents": "off",
      "@typescript-eslint/unbound-method": "off",
      "@typescript-eslint/no-base-to-string": "off",
    },
  },
  {
    files: ["app/**/*.tsx"],
    ...reactHooks.configs.flat["recommended-latest"],
  },
  {
    files: ["app/**/*.tsx"],
    ...jsxA11y.flatConfigs.recommended,
  },
  {
    files: ["**/*.js", "**/*.cjs", "**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
  },
  // Layers: routes → components → domain → db; lib below domain; livestream beside the app;
  // shared/ (plain helpers that both app/domain and the db seed use) below everything.
  {
    files: ["app/routes/**", "app/components/**", "app/root.tsx"],
    ignores: ["app/components/link.tsx"],
    rules: { "no-restricted-imports": restricted([noDb], [remixLinks]) },
  },
  {
    files: ["app/domain/**"],
    rules: { "no-restricted-imports": restricted([noLivestream, noUi]) },
  },
  { files: ["app/lib/**"], rules: { "no-restricted-imports": restricted([noDomain, noLivestream, noUi]) } },
  { files: ["db/**"], rules: { "no-restricted-imports": restricted([noApp]) } },
  { files: ["shared/**"], rules: { "no-restricted-imports": restricted([sharedAlone]) } },
);
