import { describe, expect, it, inject } from "vitest";
import { fitsWidth, openPage, useApp, useBrowser } from "../helpers/journey";

const { browser: haveBrowser } = inject("e2e");

describe.runIf(haveBrowser)("the merchant alliance board, on a 360 px phone", () => {
  const app = useApp({ testClock: true });
  const browser = useBrowser();

  it("a merchant proposes, three merchants vote, the window closes, the outcome shows, an officer follows up", async () => {
    const { page, errors } = await openPage(browser);

    await page.goto(app.url);
    await page.getByRole("link", { name: "我的", exact: true }).click();
    await page.getByRole("link", { name: "商家联盟", exact: true }).click();
    await expect.poll(() => page.locator("h1").textContent()).toBe("商家联盟");
    await page.getByTestId("proposal-list").getByText("夜市共用冷柜和餐具消毒点").waitFor();
    await fitsWidth(page);

    // A resident with no business is told who may raise a proposal and where to claim a shop.
    await app.signInAs(page, "13800000001", "/alliance/proposals/new");
    await page.getByText("只有认领了店铺的店主才能提出议题。").waitFor();
    await page.getByRole("link", { name: "认领我的店铺" }).waitFor();
    expect(await page.getByLabel("标题").count()).toBe(0);

    await app.signInAs(page, "13800000002", "/alliance/proposals/new");
    await page.getByLabel("标题").fill("周末营业时间统一延长");
    // Similar proposals are suggested while the title is typed.
    await expect.poll(() => page.getByTestId("similar").textContent()).toContain("统一延长周末营业时间到晚上十点");
    await page.getByLabel("内容").fill("周末晚上客流大，建议商业街统一营业到 23:00。");
    await page.getByRole("button", { name: "发布讨论" }).click();
    await page.waitForURL(/\/alliance\/proposals\/\d+$/);
    const proposalPath = new URL(page.url()).pathname;
    await expect.poll(() => page.getByTestId("proposal-status").textContent()).toBe("讨论中");

    // Voting opens after the minimum discussion period (24 hours).
    app.setClock(25 * 3_600_000);
    await page.reload();
    await page.getByLabel("投票时长").selectOption("24");
    await page.getByRole("button", { name: "开始投票" }).click();
    await expect.poll(() => page.getByTestId("proposal-status").textContent()).toBe("投票中");
    await page.getByText("至少 3 家会员店铺（共 6 家）参与").waitFor();

    for (const [phone, choice] of [
      ["13800000003", "支持"],
      ["13800000004", "支持"],
      ["13800000005", "反对"],
    ] as const) {
      await app.signInAs(page, phone, proposalPath);
      await page.getByRole("button", { name: choice, exact: true }).click();
      await expect.poll(() => page.getByTestId("my-vote").textContent()).toContain(`已投：${choice}`);
    }
    await expect.poll(() => page.getByTestId("tally").textContent()).toContain("支持 2 · 反对 1 · 弃权 0");
    await fitsWidth(page);

    // A day later the window has closed.
    app.setClock(50 * 3_600_000);
    await app.signInAs(page, "13800000002", proposalPath);
    await expect.poll(() => page.getByTestId("outcome").textContent()).toContain("议题通过");
    await expect.poll(() => page.getByTestId("proposal-status").textContent()).toBe("已通过");
    expect(await page.getByRole("button", { name: "支持", exact: true }).count()).toBe(0);
    await page.goto(`${app.url}/notifications`);
    await page.getByText("你的议题“周末营业时间统一延长”已通过。").waitFor();

    await app.signInAs(page, "13800000004", proposalPath);
    await page.getByLabel("进展").selectOption("planned");
    await page.getByLabel("说明").fill("下周一起按新时间营业，联盟统一通知。");
    await page.getByRole("button", { name: "记录落实情况" }).click();
    await expect.poll(() => page.getByTestId("follow-ups").textContent()).toContain("下周一起按新时间营业");

    await app.signInAs(page, "13800000002", proposalPath);
    await expect.poll(() => page.getByTestId("follow-ups").textContent()).toContain("已计划");

    // The joint-activity calendar: an officer posts an activity, the merchant's business signs up once.
    app.setClock(0);
    const districtInput = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16);
    await app.signInAs(page, "13800000004", "/alliance/activities");
    await page.locator("summary", { hasText: "发布活动" }).click();
    await page.getByLabel("标题").fill("周末夜市联合促销");
    await page.getByLabel("地点").fill("二号街");
    await page.getByLabel("开始").fill(districtInput(Date.now() + 48 * 3_600_000));
    await page.getByLabel("结束").fill(districtInput(Date.now() + 52 * 3_600_000));
    await page.getByLabel("说明").fill("各店统一打折。");
    await page.getByRole("button", { name: "发布活动" }).click();
    await page.getByTestId("activities").getByText("周末夜市联合促销").waitFor();
    await app.signInAs(page, "13800000002", "/alliance/activities");
    const activity = page.getByTestId("activities").locator("li", { hasText: "周末夜市联合促销" });
    await activity.getByRole("button", { name: "报名", exact: true }).click();
    await expect.poll(() => activity.getByRole("button", { name: "报名", exact: true }).count()).toBe(0);
    await expect.poll(() => activity.textContent()).toContain("已报名：老王烩面馆");
    expect(errors).toEqual([]);
  });

  it("three members' reports hide a comment; a moderator reviews and restores it with a reason", async () => {
    app.setClock(0);
    const page = await browser.newPage();
    await app.signInAs(page, "13800000002", "/alliance/proposals/3");
    await page.getByLabel("发言").fill("本店低价出售烟花，欢迎联系");
    await page.getByRole("button", { name: "发表", exact: true }).last().click();
    const comment = page.locator("li.comment", { hasText: "低价出售烟花" });
    await comment.waitFor();

    for (const phone of ["13800000003", "13800000005", "13800000006"]) {
      await app.signInAs(page, phone, "/alliance/proposals/3");
      const mine = page.locator("li.comment", { hasText: "低价出售烟花" });
      await mine.locator("summary", { hasText: "举报" }).click();
      await mine.getByLabel("举报原因").selectOption("spam");
      await mine.getByRole("button", { name: "举报", exact: true }).click();
      await page.getByText("已举报，谢谢。").waitFor();
    }
    await app.signInAs(page, "13800000001", "/alliance/proposals/3");
    await page.getByText("赞成，我们店可以出一张桌子。").waitFor();
    expect(await page.locator("li.comment", { hasText: "低价出售烟花" }).count()).toBe(0);

    await app.signInAs(page, "13800000007", "/alliance/review");
    const item = page.getByTestId("review-queue").locator("li", { hasText: "低价出售烟花" });
    await expect.poll(() => item.textContent()).toContain("3 次举报");
    await item.getByLabel("处理理由").fill("商品信息，不算刷屏");
    await item.getByRole("button", { name: "恢复" }).click();
    await page.getByText("没有待审核的举报。").waitFor();

    await app.signInAs(page, "13800000002", "/notifications");
    await page.getByText(/已恢复显示。商品信息，不算刷屏/).waitFor();
  });

  it("an election: nominations, secret ballots with receipts, results, and new officers", async () => {
    app.setClock(0);
    const page = await browser.newPage();
    const districtInput = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16);
    const now = Date.now();
    await app.signInAs(page, "13800000010", "/alliance/elections");
    await page.locator("summary", { hasText: "新建选举" }).click();
    await page.getByLabel("届次").fill("第二届");
    await page.getByLabel("提名开始").fill(districtInput(now - 3_600_000));
    await page.getByLabel("提名截止").fill(districtInput(now + 3_600_000));
    await page.getByLabel("投票开始").fill(districtInput(now + 3_600_000));
    await page.getByLabel("投票截止").fill(districtInput(now + 2 * 3_600_000));
    await page.getByRole("button", { name: "新建选举" }).click();
    await page.waitForURL(/\/alliance\/elections\/\d+$/);
    const electionPath = new URL(page.url()).pathname;
    await expect.poll(() => page.getByTestId("election-phase").textContent()).toBe("提名中");

    for (const [phone, office] of [
      ["13800000002", "president"],
      ["13800000003", "vice_president"],
      ["13800000007", "vice_president"],
    ] as const) {
      await app.signInAs(page, phone, electionPath);
      await page.locator("#office").selectOption(office);
      await page.getByLabel("参选宣言").fill("为商圈服务");
      await page.getByRole("button", { name: "参选", exact: true }).click();
      await page.getByTestId(`candidates-${office}`).getByText("为商圈服务").first().waitFor();
    }
    await page.getByRole("button", { name: "参选", exact: true }).click();
    await page.getByText("你已经在本次选举中参选了一个职位；每人只能参选一个职位。").waitFor();

    app.setClock(1.5 * 3_600_000);
    let receipt = "";
    for (const phone of ["13800000002", "13800000003", "13800000004"]) {
      await app.signInAs(page, phone, electionPath);
      await page.getByRole("group", { name: "会长（选 1 人）" }).getByRole("radio").last().check();
      for (const box of await page.getByRole("group", { name: "副会长（最多选 2 人）" }).getByRole("checkbox").all())
        await box.check();
      await page.getByRole("button", { name: "投出选票" }).click();
      const text = (await page.getByTestId("receipt").textContent())!;
      receipt = text.split("：").pop()!.trim();
      await expect.poll(() => page.getByRole("button", { name: "投出选票" }).count()).toBe(0);
    }
    await page.getByLabel("回执码").fill(receipt);
    await page.getByRole("button", { name: "核对回执" }).click();
    await expect.poll(() => page.getByTestId("receipt-check").textContent()).toBe("这张选票已计入。");

    app.setClock(3 * 3_600_000);
    await page.goto(`${app.url}${electionPath}`);
    await expect.poll(() => page.getByTestId("election-phase").textContent()).toBe("已结束");
    await page.getByText("共 3 张选票").waitFor();
    await fitsWidth(page);
    await page.goto(`${app.url}/alliance`);
    const officers = (await page.getByTestId("officers").textContent())!;
    expect(officers).toContain("联盟会长 王建国（演示商户）");
    expect(officers).not.toContain("联盟会长 陈志强");
  });
});
