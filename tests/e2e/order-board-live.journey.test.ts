import { describe, expect, it, inject } from "vitest";
import { fitsWidth, signedInPage, signIn, useApp, useBrowsers } from "../helpers/journey";

const { browser: haveBrowser } = inject("e2e");
/** S0001 老王烩面馆 is /shops/1; its owner is 13800000002. */
const SHOP = 1;

describe.runIf(haveBrowser)("the merchant's order board hears a new order, on a 360 px phone", () => {
  const app = useApp();
  const [merchant, shopper] = useBrowsers(2);

  it("a shopper orders; the open board shows the order and the bell counts it without a reload; the sound switch is remembered", async () => {
    const { page: board, errors } = await signedInPage(merchant, app.url, "shopOwner", `/shops/${SHOP}/orders`);
    await board.locator('[data-testid="board-live"][data-live="on"]').waitFor();
    const badge = board.getByTestId("unread-count");
    const unread = async () => ((await badge.count()) ? Number(await badge.textContent()) : 0);
    const unreadBefore = await unread();

    // The sound is off until the merchant switches it on (a tap: the gesture browsers ask for).
    const sound = board.getByTestId("board-sound");
    expect(await sound.getAttribute("aria-pressed")).toBe("false");
    await sound.click();
    expect(await sound.getAttribute("aria-pressed")).toBe("true");
    expect(await board.evaluate(() => window.localStorage.getItem("xq.orderBoard.sound"))).toBe("on");
    // A mark on this document: gone if the page were loaded again.
    await board.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
    await fitsWidth(board);

    const page = await shopper.newPage();
    await signIn(page, app.url, "resident", `/shops/${SHOP}`);
    await page.getByRole("link", { name: "烩面礼盒（生面 4 份）", exact: true }).click();
    await page.getByRole("heading", { name: "烩面礼盒（生面 4 份）" }).waitFor();
    await page.getByRole("button", { name: "立即购买", exact: true }).click();
    await page.waitForURL(`${app.url}/cart`);
    await page.getByRole("button", { name: "下单", exact: true }).click();
    await page.waitForURL(/\/orders\?placed=\d+$/);
    const orderId = /placed=(\d+)$/.exec(page.url())![1];

    const card = board.getByTestId("board-new").locator(`[data-order-id="${orderId}"]`);
    await card.waitFor();
    await card.getByText("烩面礼盒（生面 4 份） × 1").waitFor();
    await board.getByText(`来新订单了：#${orderId}`).waitFor();
    await expect.poll(unread).toBe(unreadBefore + 1);
    expect(await board.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    await fitsWidth(board);

    // Loaded again, the board remembers the sound is on and asks for the tap the browser needs.
    await board.reload();
    await board.locator('[data-testid="board-live"][data-live="on"]').waitFor();
    expect(await sound.getAttribute("aria-pressed")).toBe("true");
    await board.getByText("提示音已开：浏览器要求先点一下页面").waitFor();
    await board.getByRole("button", { name: "English" }).click();
    await board.getByText("New orders appear here by themselves.").waitFor();
    await fitsWidth(board);
    expect(errors).toEqual([]);
  });
});
