import { describe, expect, it } from "vitest";
import { randomBase64, randomHex } from "~/lib/random-pool.server";

describe("request ids and nonces from the random pool", () => {
  it("hands out each value once, across many refills of the pool", () => {
    // 4,096 bytes a fill: 20,000 ids of 6 bytes and nonces of 16 refill it over a hundred times.
    const ids = Array.from({ length: 20_000 }, () => randomHex(6));
    const nonces = Array.from({ length: 20_000 }, () => randomBase64(16));
    expect(ids.every((id) => /^[0-9a-f]{12}$/.test(id))).toBe(true);
    expect(nonces.every((n) => /^[A-Za-z0-9+/]{22}==$/.test(n))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(nonces).size).toBe(nonces.length);
  });

  it("spreads its bytes evenly", () => {
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 16_000; i++) for (const byte of Buffer.from(randomHex(16), "hex")) counts[byte]++;
    // 256,000 bytes: 1,000 expected of each value; a fixed or repeating pool would be far off.
    expect(Math.min(...counts)).toBeGreaterThan(850);
    expect(Math.max(...counts)).toBeLessThan(1150);
  });
});
