import { describe, expect, it } from "vitest";
import { createI18n, loadLocale } from "~/i18n/i18n";

/** The results notice is built from parts: the election's own name is never followed by words it already has. */
describe("election notices", () => {
  it.each(["第3001届商家联盟换届", "第二届", "2027年换届选举"])("reads right in Chinese for “%s”", (term) => {
    const text = createI18n("zh-CN").t("notifications.kinds.alliance.electionResults", { term });
    expect(text).toContain(term);
    expect(text).not.toMatch(/换届换届|选举选举|联盟第\d+届商家联盟/);
  });

  it("reads right in English", async () => {
    await loadLocale("en");
    const text = createI18n("en").t("notifications.kinds.alliance.electionResults", { term: "Third term" });
    expect(text).toBe("Election results are out: Third term.");
  });
});
