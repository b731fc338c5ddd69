import { z } from "zod";
import { parseYuan } from "./money";

/** Products as the owner's form sends them: the price in yuan with up to two decimals. */
export const productSchema = z.object({
  name: z
    .string({ error: "market.errors.nameRequired" })
    .trim()
    .min(1, "market.errors.nameRequired")
    .max(60, "market.errors.nameTooLong"),
  description: z.string().trim().max(500, "market.errors.descriptionTooLong").default(""),
  price: z.string({ error: "market.errors.priceInvalid" }).transform((v, ctx) => {
    const fen = parseYuan(v);
    if (fen === null || fen <= 0 || fen > 10_000_000) {
      ctx.addIssue({ code: "custom", message: "market.errors.priceInvalid" });
      return z.NEVER;
    }
    return fen;
  }),
  stock: z
    .string({ error: "market.errors.stockInvalid" })
    .trim()
    .regex(/^\d{1,6}$/, "market.errors.stockInvalid")
    .transform(Number)
    .refine((n) => n <= 100_000, "market.errors.stockInvalid"),
  hidden: z.literal("on").optional(),
});
export type ProductInput = z.output<typeof productSchema>;

export const quantitySchema = z.coerce
  .number({ error: "market.errors.quantityInvalid" })
  .int("market.errors.quantityInvalid")
  .min(1, "market.errors.quantityInvalid")
  .max(99, "market.errors.quantityInvalid");

export const addToCartSchema = z.object({
  productId: z.coerce.number().int().positive().max(2147483647, { error: "security.idInvalid" }),
  quantity: quantitySchema,
});
export const cartLineSchema = z.object({
  productId: z.coerce.number().int().positive().max(2147483647, { error: "security.idInvalid" }),
  quantity: z.coerce.number().int().min(0).max(99),
});
