import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DEMO_USERS, e2e, fitsWidth, pageErrors, signIn, useApp, useBrowser, usePeople } from "../helpers/journey";

const { browser: haveBrowser } = e2e();

const admin = DEMO_USERS.admin.displayName;
const owner = DEMO_USERS.shopOwner.displayName;

// Two entries from March 2020, long before anything the journey does: the shop owner edited the
// profile of S0001 (roster) and the administrator set its studio time (studio).
const prepare = `
  INSERT INTO audit_log (actor_id, action, subject_type, subject_id, after, at) VALUES
    ('${DEMO_USERS.shopOwner.id}', 'business.profile_updated', 'business',
      (SELECT id::text FROM businesses WHERE code = 'S0001'), NULL, '2020-03-01T10:00:00+08:00'),
    ('${DEMO_USERS.admin.id}', 'studio.setQuota', 'business', 'S0001', '{"weeklyMinutes": 240}', '2020-03-02T23:30:00+08:00');
`;

const sentences = (page: Page) => page.getByTestId("audit-line").locator(".audit-line__sentence").allTextContents();

/** Submits the filter form and waits for the filtered page; the address keeps only what was chosen. */
async function filter(page: Page, button: string, expected: string) {
  await page.getByRole("button", { name: button, exact: true }).click();
  await page.waitForURL((url) => url.pathname + url.search === expected);
}

describe.runIf(haveBrowser)("the audit log reads as sentences, on a 360 px phone", () => {
  const app = useApp({ prepare });
  const browser = useBrowser();
  const person = usePeople(app);

  it("an administrator grants a role and finds it in words, then filters by area, person and date, in Chinese and English", async () => {
    const page = await browser.newPage();
    const errors = pageErrors(page);
    await signIn(page, app.url, "admin", "/admin/roles");
    await page.getByLabel("用户手机号", { exact: true }).fill(DEMO_USERS.resident.phone);
    await page.getByLabel("身份", { exact: true }).selectOption({ label: "调解员" });
    const granted = page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/admin/roles"));
    await page.getByRole("button", { name: "授予", exact: true }).click();
    await granted;
    await page.getByText("已完成。").waitFor();

    await page.goto(`${app.url}/admin`);
    await page.getByRole("link", { name: "审计日志", exact: true }).click();
    await page.waitForURL(`${app.url}/admin/audit`);
    await expect
      .poll(async () => (await sentences(page))[0])
      .toBe(`${admin}（138****0010） 授予 ${DEMO_USERS.resident.displayName}（138****0001）「调解员」身份`);
    // No raw codes or ids on the page.
    const text = (await page.getByTestId("audit-log").textContent())!;
    expect(text).not.toContain("role.granted");
    expect(text).not.toContain(DEMO_USERS.resident.id);
    expect(await sentences(page)).toContain(
      `${admin}（138****0010） 把 老王烩面馆（S0001） 每周的直播间时长设为 240 分钟`,
    );
    await fitsWidth(page);

    // Area: the business roster holds the owner's profile edit and nothing else.
    await page.getByLabel("范围", { exact: true }).selectOption({ label: "店铺名册" });
    await filter(page, "筛选", "/admin/audit?area=roster");
    await expect.poll(() => sentences(page)).toEqual([`${owner}（138****0002） 修改了 老王烩面馆（S0001） 的店铺资料`]);
    // The target links to the shop's page.
    expect(await page.getByRole("link", { name: "老王烩面馆（S0001）" }).getAttribute("href")).toMatch(
      /^\/shops\/\d+$/,
    );
    await fitsWidth(page);

    // Person, by part of the mobile number: the administrator's two entries, the grant first.
    await page.getByLabel("范围", { exact: true }).selectOption({ label: "全部" });
    await page.getByLabel("操作人", { exact: true }).fill("0010");
    await filter(page, "筛选", "/admin/audit?person=0010");
    await expect.poll(async () => (await sentences(page)).length).toBe(2);
    const byAdmin = await sentences(page);
    expect(byAdmin[0]).toContain("「调解员」身份");
    expect(byAdmin[1]).toContain("240 分钟");

    // Person by name, and the days: 2 March 2020 in 禹州 holds the studio time only.
    await page.getByLabel("操作人", { exact: true }).fill("");
    await page.getByLabel("从", { exact: true }).fill("2020-03-02");
    await page.getByLabel("到", { exact: true }).fill("2020-03-02");
    await filter(page, "筛选", "/admin/audit?from=2020-03-02&to=2020-03-02");
    await expect
      .poll(() => sentences(page))
      .toEqual([`${admin}（138****0010） 把 老王烩面馆（S0001） 每周的直播间时长设为 240 分钟`]);
    await page.getByLabel("操作人", { exact: true }).fill(owner.slice(0, 3));
    await filter(
      page,
      "筛选",
      `/admin/audit?person=${encodeURIComponent(owner.slice(0, 3))}&from=2020-03-02&to=2020-03-02`,
    );
    await page.getByText("没有符合条件的记录。").waitFor();
    await page.getByLabel("从", { exact: true }).fill("2020-03-01");
    await filter(
      page,
      "筛选",
      `/admin/audit?person=${encodeURIComponent(owner.slice(0, 3))}&from=2020-03-01&to=2020-03-02`,
    );
    await expect.poll(() => sentences(page)).toEqual([`${owner}（138****0002） 修改了 老王烩面馆（S0001） 的店铺资料`]);
    await fitsWidth(page);

    // The same in English.
    await page.getByRole("link", { name: "清除筛选" }).click();
    await page.waitForURL(`${app.url}/admin/audit`);
    await page.getByRole("button", { name: "English" }).click();
    await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("en");
    await expect
      .poll(async () => (await sentences(page))[0])
      .toBe(`${admin} (138****0010) gave ${DEMO_USERS.resident.displayName} (138****0001) the role Mediator`);
    await page.getByLabel("Area", { exact: true }).selectOption({ label: "Live studio" });
    await filter(page, "Filter", "/admin/audit?area=studio");
    await expect
      .poll(() => sentences(page))
      .toEqual([`${admin} (138****0010) set the weekly studio time of 老王烩面馆 (S0001) to 240 minutes`]);
    await page.getByLabel("Area", { exact: true }).selectOption({ label: "All" });
    await page.getByLabel("Done by", { exact: true }).fill(DEMO_USERS.shopOwner.phone);
    await page.getByLabel("From", { exact: true }).fill("2020-03-01");
    await page.getByLabel("To", { exact: true }).fill("2020-03-01");
    await filter(page, "Filter", `/admin/audit?person=${DEMO_USERS.shopOwner.phone}&from=2020-03-01&to=2020-03-01`);
    await expect
      .poll(() => sentences(page))
      .toEqual([`${owner} (138****0002) edited the profile of 老王烩面馆 (S0001)`]);
    await fitsWidth(page);
    expect(errors).toEqual([]);
  });

  it("refuses anyone but an administrator", async () => {
    const { page } = await person("mediator", "/admin");
    const answer = await page.goto(`${app.url}/admin/audit`);
    expect(answer?.status()).toBe(403);
    await page.getByRole("heading", { name: "没有权限" }).waitFor();
  });
});
