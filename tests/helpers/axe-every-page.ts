import { afterEach } from "vitest";
import { describeFindings, takeAxeFindings } from "./axe";

/**
 * Browser tests fail on serious or critical accessibility violations (axe-core) on any page
 * they visited: checked after each load and by fitsWidth (see axe.ts).
 */
afterEach(async () => {
  const found = await takeAxeFindings();
  if (found.length > 0) throw new Error(`axe found serious or critical violations:\n${describeFindings(found)}`);
});
