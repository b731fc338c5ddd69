import { loadLocale } from "~/i18n/i18n";
import { afterEach, vi } from "vitest";

/** A test that makes the code under test log an error fails, unless it expected the error. */
const spy = vi.spyOn(console, "error");
afterEach(() => {
  const calls = spy.mock.calls;
  spy.mockClear();
  if (calls.length > 0) throw new Error(`console.error was called:\n${calls.map((c) => c.join(" ")).join("\n")}`);
});

// Code under test may answer in English: load its messages as the server does at start-up.
await loadLocale("en");
