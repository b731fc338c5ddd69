/**
 * Demo products of the marketplace: a few for the demo merchants' S0001 老王烩面馆 and stall
 * T0001, and for some other shops. Fixed list, prices in fen, no randomness.
 */
import { inArray } from "drizzle-orm";
import type { Db } from "../client";
import { businesses, products } from "../schema";

export const DEMO_PRODUCTS: Record<string, { name: string; description: string; priceFen: number; stock: number }[]> = {
  S0001: [
    { name: "羊肉烩面（大碗）", description: "手工拉制，羊骨汤熬八小时。", priceFen: 1800, stock: 40 },
    { name: "烩面礼盒（生面 4 份）", description: "带回家自己煮，附汤料包。", priceFen: 4500, stock: 12 },
    { name: "凉拌牛肉", description: "当日卤制。", priceFen: 2250, stock: 15 },
  ],
  T0001: [
    { name: "禹州粉条（1 斤）", description: "红薯粉条，本地作坊。", priceFen: 1200, stock: 30 },
    { name: "手工锅盔", description: "早市现烤。", priceFen: 500, stock: 50 },
  ],
  S0002: [{ name: "钧瓷小茶杯", description: "禹州钧瓷，窑变釉色每只不同。", priceFen: 8800, stock: 6 }],
  S0003: [{ name: "中药香囊", description: "艾草、薄荷、藿香。", priceFen: 1500, stock: 25 }],
  S0006: [{ name: "时令水果篮", description: "当季水果约 3 斤。", priceFen: 3900, stock: 8 }],
};

export async function seedMarket(tx: Db): Promise<void> {
  const codes = Object.keys(DEMO_PRODUCTS);
  const rows = await tx
    .select({ id: businesses.id, code: businesses.code })
    .from(businesses)
    .where(inArray(businesses.code, codes));
  const idOf = Object.fromEntries(rows.map((r) => [r.code, r.id])) as Record<string, number>;
  const at = new Date("2026-01-18T08:00:00Z");
  await tx
    .insert(products)
    .values(
      codes.flatMap((code) =>
        DEMO_PRODUCTS[code].map((p) => ({ ...p, businessId: idOf[code], createdAt: at, updatedAt: at })),
      ),
    );
}
