import { describe, expect, inject, it } from "vitest";
import { launchBrowser } from "../helpers/browser";
import { fitsWidth, pageErrors, useApp, useBrowser } from "../helpers/journey";

const { browser: haveBrowser } = inject("e2e");

const app = useApp();

describe.runIf(haveBrowser)("a shopper finds a trusted shop on a 360 px phone", () => {
  const browser = useBrowser();
  const noScript = useBrowser({ javaScriptEnabled: false });

  it("searches, filters, opens a shop and follows its plaque to the verify page", async () => {
    const page = await browser.newPage();
    const errors = pageErrors(page);
    await page.goto(app.url);
    await page.getByRole("link", { name: "找店铺", exact: true }).click();
    await page.waitForURL(`${app.url}/shops`);
    await expect.poll(() => page.getByTestId("total").textContent()).toBe("共 882 家");

    await page.getByLabel("搜索").fill("面馆");
    await page.getByRole("button", { name: "查找" }).click();
    await page.waitForURL(/q=%E9%9D%A2%E9%A6%86/);
    await expect.poll(() => page.getByTestId("total").textContent()).toBe("共 31 家");
    // Plaque holders first: 老王烩面馆 holds this year's plaque.
    const first = page.getByTestId("business-card").first();
    expect(await first.textContent()).toContain("老王烩面馆");
    expect(await first.textContent()).toContain("党支部推荐放心店");

    // Typing initials offers the name; searching them finds it first.
    await page.getByLabel("搜索").fill("lwhm");
    await expect
      .poll(() => page.getByTestId("q-suggestions").locator("option").first().getAttribute("value"))
      .toBe("老王烩面馆");
    await page.getByRole("button", { name: "查找" }).click();
    await page.waitForURL(/q=lwhm/);
    await expect.poll(() => page.getByTestId("business-card").first().textContent()).toContain("老王烩面馆");
    await page.getByLabel("搜索").fill("面馆");
    await page.getByRole("button", { name: "查找" }).click();
    await page.waitForURL(/q=%E9%9D%A2%E9%A6%86/);

    // "筛选" is a disclosure with its marker, not a heading.
    // (polled: the form is rendered anew for each search, and a detached element has no style)
    await expect
      .poll(() =>
        page
          .locator(".filters__more > summary")
          .evaluate((summary) => getComputedStyle(summary, "::before").borderRightStyle),
      )
      .toBe("solid");
    await page.getByText("筛选", { exact: true }).click();
    await page.getByLabel("挂牌").selectOption("recommended");
    await page.getByRole("button", { name: "查找" }).click();
    await page.waitForURL(/plaque=recommended/);
    // Only what the shopper chose stays in the address.
    expect(new URL(page.url()).search).toBe(`?q=${encodeURIComponent("面馆")}&plaque=recommended`);
    const total = async () => Number((await page.getByTestId("total").textContent())!.match(/\d+/)![0]);
    // The list renders once the new data is in: wait for it rather than read the old total.
    await expect.poll(total).toBeLessThan(31);
    expect(await total()).toBeGreaterThanOrEqual(1);
    await fitsWidth(page);

    await page.getByRole("link", { name: "老王烩面馆" }).click();
    await page.waitForURL(/\/shops\/1$/);
    // Plaque, hours and phone are visible without scrolling.
    for (const locator of [
      page.getByTestId("shop-plaques"),
      page.getByText("营业时间"),
      page.getByTestId("shop-phone"),
    ]) {
      const box = await locator.first().boundingBox();
      expect(box!.y + box!.height).toBeLessThanOrEqual(740);
    }
    expect(await page.locator('meta[property="og:title"]').getAttribute("content")).toContain("老王烩面馆");
    expect(await page.locator('meta[property="og:image"]').getAttribute("content")).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/og-default\.png$/,
    );
    const contacts = await page.getByTestId("grid-contacts").locator("a[href^='tel:']").count();
    expect(contacts).toBeGreaterThanOrEqual(2);

    await page.getByTestId("shop-plaques").getByRole("link").first().click();
    await page.waitForURL(/\/verify\/[0-9a-z]{26}$/);
    await expect.poll(() => page.getByTestId("verdict").textContent()).toBe("真牌 · 有效");
    await page.getByRole("link", { name: "查看店铺" }).click();
    await page.waitForURL(/\/shops\/1$/);

    await page.goto(`${app.url}/verify/0000000000000000000000000a`);
    await expect.poll(() => page.getByTestId("verdict").textContent()).toBe("查无此牌");
    expect(errors).toEqual([]);
  });

  it("filters without JavaScript, and the map follows the same filters", async () => {
    const page = await noScript.newPage();
    await page.goto(`${app.url}/shops`);
    await page.getByLabel("搜索").fill("钧瓷 茶");
    await page.getByLabel("正在营业").check();
    await page.getByRole("button", { name: "查找" }).click();
    await page.waitForURL(/open=now/);
    expect([...new URL(page.url()).searchParams.values()].filter((v) => v === "")).toEqual([]);
    const total = (await page.getByTestId("total").textContent())!;
    expect(total).toMatch(/^共 \d+ 家$/);
    await page.getByRole("link", { name: "在地图上看" }).click();
    await page.waitForURL(/\/map\?q=/);
    expect(await page.getByTestId("map-matching").textContent()).toContain(total.match(/\d+/)![0]);
    await page.goto(`${app.url}/map?plaque=any`);
    expect(await page.getByTestId("map-matching").textContent()).toBe("符合筛选的店铺：20 家");
    expect(await page.locator("[data-testid=district-map] [data-grid]").count()).toBe(8);
    expect(await page.locator("[data-testid=district-map] [data-micro-grid]").count()).toBe(32);
    expect(await page.locator("[data-testid=district-map] [data-matching]").getAttribute("data-matching")).toBe("20");
    await page.getByRole("link", { name: "查看第五网格" }).click();
    await page.waitForURL(/grid=G5/);
    const panel = (await page.getByTestId("grid-panel").textContent())!;
    expect(panel).toContain("网格长");
    expect(await page.getByTestId("grid-businesses").locator("li").count()).toBeGreaterThan(0);
  });

  it("lets an owner edit its own shop and nobody else's", async () => {
    const owner = await launchBrowser();
    try {
      const page = await owner.newPage();
      await page.goto(`${app.url}/login?redirectTo=/shops/1`);
      await page.getByLabel("手机号").fill("13800000002");
      await page.getByLabel("密码").fill("xinquan2026");
      await page.getByRole("button", { name: "登录" }).click();
      await page.waitForURL(`${app.url}/shops/1`);
      await page.getByRole("link", { name: "编辑店铺信息" }).click();
      await page.getByLabel("店铺介绍").fill("手工烩面，羊肉汤现熬。");
      await page.getByLabel("夜市开门").fill("18:00");
      await page.getByLabel("夜市收摊").fill("25:00");
      await page.getByRole("button", { name: "保存" }).click();
      await page.getByText("请用 24 小时制，如 08:30。").waitFor();
      await page.getByLabel("夜市收摊").fill("01:00");
      await page.getByRole("button", { name: "保存" }).click();
      await page.getByText("已保存。").waitFor();
      await page.goto(`${app.url}/shops/1`);
      await page.getByText("手工烩面，羊肉汤现熬。").waitFor();
      expect(await page.getByText("夜市 18:00–次日01:00").count()).toBe(1);
      const other = await page.goto(`${app.url}/shops/2/edit`);
      expect(other!.status()).toBe(403);
    } finally {
      await owner.close();
    }
  });
});

describe("the open-data API", () => {
  it("answers the directory's filters as JSON with totals and plaques", async () => {
    const response = await fetch(`${app.url}/api/v1/businesses?q=${encodeURIComponent("面馆")}&perPage=5`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    const body = await response.json();
    expect(body).toMatchObject({ total: 31, page: 1, perPage: 5, pages: 7 });
    expect(body.items).toHaveLength(5);
    expect(body.items[0]).toMatchObject({
      code: "S0001",
      kind: "shop",
      plaques: [{ kind: "recommended", year: 2026 }],
    });
    const plaque = await (await fetch(`${app.url}/api/v1/plaques/${body.items[0].plaques[0].code}`)).json();
    expect(plaque).toMatchObject({ verdict: "current", business: { code: "S0001" } });
    const one = await (await fetch(`${app.url}/api/v1/businesses/${body.items[0].id}`)).json();
    expect(one).toMatchObject({ code: "S0001", status: "open" });
  });

  it("names an invalid parameter in a 400, in the reader's language", async () => {
    for (const [query, parameter] of [
      ["kind=boat", "kind"],
      ["plaque=gold", "plaque"],
      ["perPage=500", "perPage"],
      ["page=-1", "page"],
      ["open=later", "open"],
      ["microGrid=nowhere", "microGrid"],
    ]) {
      const response = await fetch(`${app.url}/api/v1/businesses?${query}`);
      expect(response.status, query).toBe(400);
      expect((await response.json()).error.parameter, query).toBe(parameter);
    }
    const zh = await fetch(`${app.url}/api/v1/businesses?kind=boat`, {
      headers: { "accept-language": "zh-CN,zh;q=0.9" },
    });
    expect((await zh.json()).error.message).toBe("类型只能是门店（shop）或摊位（stall）。");
    const en = await fetch(`${app.url}/api/v1/businesses?kind=boat`);
    expect((await en.json()).error.message).toBe("Kind must be shop or stall.");
    expect((await fetch(`${app.url}/api/v1/plaques/nope`)).status).toBe(404);
    expect((await fetch(`${app.url}/api/v1/businesses/99999`)).status).toBe(404);
  });
});

describe("the printable plaque", () => {
  async function cookieFor(phone: string) {
    const login = await fetch(`${app.url}/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `phone=${phone}&password=xinquan2026&redirectTo=/`,
      redirect: "manual",
    });
    return login.headers.get("set-cookie")!.split(";")[0];
  }

  it("is an A5 page with the plaque's QR code for staff, and refused to others", async () => {
    const body = await (await fetch(`${app.url}/api/v1/businesses?plaque=any&perPage=1`)).json();
    const code = body.items[0].plaques[0].code as string;
    const staff = await fetch(`${app.url}/verify/${code}/print`, {
      headers: { cookie: await cookieFor("13800000010") },
    });
    expect(staff.status).toBe(200);
    const html = await staff.text();
    expect(html).toMatch(/data-testid="plaque-qr"[^>]*><svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(html).toContain(`/verify/${code}`);
    const resident = await fetch(`${app.url}/verify/${code}/print`, {
      headers: { cookie: await cookieFor("13800000001") },
    });
    expect(resident.status).toBe(403);
  });
});

describe("the page cache for visitors", () => {
  it("serves a visitor's repeated page from the cache with a fresh nonce, and a write shows at once", async () => {
    const url = `${app.url}/shops?q=${encodeURIComponent("烩面")}`;
    const byNewWordsBefore = `${app.url}/shops?q=${encodeURIComponent("缓存测试")}`;
    expect(await (await fetch(byNewWordsBefore)).text()).not.toContain("老王烩面馆");
    expect((await fetch(byNewWordsBefore)).headers.get("x-page-cache")).toBe("hit");
    const first = await fetch(url);
    const second = await fetch(url);
    expect(second.headers.get("x-page-cache")).toBe("hit");
    const nonce = (r: Response) => r.headers.get("content-security-policy")!.match(/'nonce-([^']+)'/)![1];
    const [n1, n2] = [nonce(first), nonce(second)];
    expect(n1).not.toBe(n2);
    const [html1, html2] = [await first.text(), await second.text()];
    expect(html2).toContain(`nonce="${n2}"`);
    expect(html2).not.toContain(n1);
    expect(html2.replaceAll(n2, "N").replaceAll(second.headers.get("x-request-id")!, "R")).toBe(
      html1.replaceAll(n1, "N").replaceAll(first.headers.get("x-request-id")!, "R"),
    );
    // Signed-in people never get a cached page.
    const login = await fetch(`${app.url}/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "phone=13800000002&password=xinquan2026&redirectTo=/",
      redirect: "manual",
    });
    const cookie = login.headers.get("set-cookie")!.split(";")[0];
    expect((await fetch(url, { headers: { cookie } })).headers.get("x-page-cache")).toBeNull();
    // The owner renames nothing here, but edits the description: the directory version moves on.
    const edit = await fetch(`${app.url}/shops/1/edit`, {
      method: "POST",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded", origin: app.url },
      body: `description=${encodeURIComponent("缓存测试：烩面新品")}&dayOpensAt=09:00&dayClosesAt=21:00`,
      redirect: "manual",
    });
    expect(edit.status).toBe(200);
    const after = await fetch(url);
    expect(after.headers.get("x-page-cache")).toBeNull();
    // A search for the new words: cached empty before the edit would be wrong after it.
    expect(await after.text()).not.toContain("缓存测试");
    const byNewWords = `${app.url}/shops?q=${encodeURIComponent("缓存测试")}`;
    const found = await fetch(byNewWords);
    expect(found.headers.get("x-page-cache")).toBeNull();
    expect(await found.text()).toContain("老王烩面馆");
    const again = await fetch(byNewWords);
    expect(again.headers.get("x-page-cache")).toBe("hit");
    expect(await again.text()).toContain("老王烩面馆");
  });
});
