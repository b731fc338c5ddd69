import type { OrderStatus } from "../../../db/schema/enums";

/** The columns of the merchant's order board (unpaid Stripe orders are not shown). Browser-safe. */
export const boardColumns = ["new", "ready", "picked_up", "cancelled"] as const satisfies readonly OrderStatus[];
