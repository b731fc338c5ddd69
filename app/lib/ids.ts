import { z } from "zod";

/** A row id as an address or a form field carries it: a positive whole number that fits an integer column. */
export const idParam = z.coerce.number().int().positive().max(2147483647, { error: "security.idInvalid" });
