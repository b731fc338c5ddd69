import { Column, SQL, Table, entityKind, is, sql } from "drizzle-orm";
import { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { businesses } from "../../db/schema";

/** drizzle-orm 0.45.4's own `is()`, as published: the reference the patched one must agree with. */
function publishedIs(value: unknown, type: { [entityKind]?: string }): boolean {
  if (!value || typeof value !== "object") return false;
  if (value instanceof (type as unknown as new () => unknown)) return true;
  if (!Object.prototype.hasOwnProperty.call(type, entityKind)) throw new Error("not a Drizzle entity");
  let cls = Object.getPrototypeOf(value).constructor;
  while (cls) {
    if (entityKind in cls && cls[entityKind] === type[entityKind]) return true;
    cls = Object.getPrototypeOf(cls);
  }
  return false;
}

/** A second copy of drizzle would define its own classes with the same kinds: `is()` accepts them. */
class ForeignSql {
  static readonly [entityKind] = "SQL";
}

describe("drizzle-orm's is(), answered once per prototype and type (docs/decisions/040)", () => {
  const values: unknown[] = [
    businesses,
    businesses.id,
    businesses.name,
    sql`select 1`,
    sql`select ${1}`.queryChunks[1],
    new ForeignSql(),
    {},
    [],
    [businesses.id],
    "text",
    7,
    null,
    undefined,
  ];
  const types = [Column, PgColumn, SQL, Table, PgTable];

  it("agrees with the published is() for columns, tables, SQL, a foreign copy's SQL and plain values, asked twice", () => {
    for (let round = 0; round < 2; round++) {
      for (const value of values)
        for (const type of types) expect(is(value, type), `${round}: ${String(value)}`).toBe(publishedIs(value, type));
    }
    expect(is(new ForeignSql(), SQL)).toBe(true);
    expect(is(businesses.id, SQL)).toBe(false);
    // An object without a prototype makes the published is() throw; the patched one too.
    expect(() => publishedIs(Object.create(null), SQL)).toThrow(TypeError);
    expect(() => is(Object.create(null), SQL)).toThrow(TypeError);
  });

  it("still refuses a class that is not a Drizzle entity, every time", () => {
    class NotAnEntity {}
    for (let i = 0; i < 2; i++) expect(() => is(businesses.id, NotAnEntity as never)).toThrow(/Drizzle entity/);
  });

  it("walks a value's class chain once, not on every call", () => {
    class Kind {
      static readonly [entityKind] = "XqTestKind";
    }
    let lookups = 0;
    const Counted = new Proxy(class Other {}, {
      has(target, key) {
        if (key === entityKind) lookups++;
        return Reflect.has(target, key);
      },
    });
    const value = Object.create({ constructor: Counted }) as object;
    for (let i = 0; i < 100; i++) expect(is(value, Kind)).toBe(false);
    // The published is() looks the kind up on the class at every call: 100 lookups.
    expect(lookups).toBe(1);
  });
});
