import fs from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { asc, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { inject } from "vitest";
import { migrateDatabase, openDatabase, rowsOf, type Database, type Db } from "../../db/client";
import { PgliteThreadClient } from "../../db/pglite-thread";
import { users } from "../../db/schema";
import { isBadInputError } from "~/lib/bad-input.server";

/**
 * PGlite on a worker thread (db/pglite-thread.ts, docs/decisions/035), the server's default on
 * PGlite, against PGlite in this thread (the reference): both open the same seeded image, run the
 * same statements, and must answer alike — rows and their text for timestamps and dates, commits,
 * rollbacks, savepoints, Postgres error fields, notifications.
 */
const onPglite = process.env.XQ_TEST_DB !== "postgres";

let inProcess: Database;
let thread: Database;

const image = () =>
  new Blob([fs.readFileSync(path.join(inject("pgliteImages"), "seeded.tar.gz"))], { type: "application/x-gzip" });

const things = sql.raw(`
  CREATE TABLE thread_things (
    id serial PRIMARY KEY, name text UNIQUE NOT NULL, at timestamptz, plain timestamp, day date,
    span interval, days date[], stamps timestamptz[], amount numeric(12,2), amounts numeric[],
    big bigint, data jsonb, raw bytea, ok boolean
  )`);

beforeAll(async () => {
  if (!onPglite) return;
  [inProcess, thread] = await Promise.all([
    openDatabase({ loadDataDir: image() }),
    openDatabase({ loadDataDir: image(), thread: true }),
  ]);
  for (const database of [inProcess, thread]) {
    await database.db.execute(things);
    await database.db.execute(
      sql.raw(`
      CREATE FUNCTION thread_things_notify() RETURNS trigger LANGUAGE plpgsql AS
        $$ BEGIN PERFORM pg_notify('thread_things', NEW.name); RETURN NEW; END $$;
      `),
    );
    await database.db.execute(
      sql.raw(
        "CREATE TRIGGER thread_things_notify AFTER INSERT ON thread_things FOR EACH ROW EXECUTE FUNCTION thread_things_notify()",
      ),
    );
  }
}, 120_000);

afterAll(async () => {
  await inProcess?.close();
  await thread?.close();
});

/** Runs `run` on both databases and returns both answers, in-process first. */
async function both<T>(run: (db: Db, database: Database) => Promise<T>): Promise<[T, T]> {
  return [await run(inProcess.db, inProcess), await run(thread.db, thread)];
}

const names = (db: Db, prefix: string) =>
  db
    .select({ name: sql<string>`name` })
    .from(sql`thread_things`)
    .where(sql`name LIKE ${prefix + "%"}`)
    .orderBy(sql`name`)
    .then((rows) => rows.map((r) => r.name));

/** The error a statement was refused with, as the domain inspects it (drizzle wraps it: `cause`). */
async function refusal(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  const error = (await promise.then(
    () => expect.unreachable("the statement was not refused"),
    (e: unknown) => e,
  )) as { cause?: Record<string, unknown> } & Record<string, unknown>;
  return error.cause ?? error;
}

describe.runIf(onPglite)("PGlite on a worker thread", () => {
  it("is not PGlite in this thread, and answers the seeded data as PGlite in this thread does", async () => {
    expect(thread.pglite).toBeUndefined();
    expect(inProcess.pglite).toBeDefined();
    const [a, b] = await both((db) => db.select().from(users).orderBy(asc(users.id)).limit(20));
    expect(a.length).toBeGreaterThan(0);
    expect(b).toEqual(a);
    // drizzle's own mapping on top: createdAt a Date, from the timestamp's text
    expect(b[0].createdAt).toBeInstanceOf(Date);
    const [c, d] = await both((db) =>
      db.query.users.findMany({ with: { roles: true }, orderBy: asc(users.phone), limit: 5 }),
    );
    expect(d).toEqual(c);
    expect(d.some((user) => user.roles.length > 0)).toBe(true);
  });

  it("round-trips timestamps, dates, intervals, arrays, numerics, bigints, json and bytes as the same values", async () => {
    const row = (db: Db, name: string) =>
      db.execute(sql`
        INSERT INTO thread_things (name, at, plain, day, span, days, stamps, amount, amounts, big, data, raw, ok)
        VALUES (${name}, ${"2026-12-06T07:08:09.123456Z"}, ${"2026-12-06 07:08:09"}, ${"2026-02-28"}, ${"1 day 02:03:04"},
          ${"{2026-01-01,2026-12-31}"}, ${"{2026-12-06 07:00:00+08}"}, ${"1234.50"}, ${"{1.5,2.25}"},
          ${"9007199254740993"}, ${JSON.stringify({ a: [1, "二"], b: null })}, ${"\\x00ff10"}, ${true})
        RETURNING *`);
    const [a, b] = await both(async (db) => rowsOf<Record<string, unknown>>(await row(db, "types")));
    expect(b).toEqual(a);
    // the text Postgres sent, as drizzle's parsers ask (not Date objects)
    expect(b[0]).toMatchObject({
      at: "2026-12-06 07:08:09.123456+00",
      plain: "2026-12-06 07:08:09",
      day: "2026-02-28",
      span: "1 day 02:03:04",
      days: "{2026-01-01,2026-12-31}",
    });
    const [c, d] = await both((db) =>
      db.execute(
        sql`SELECT at, day, now()::date - day AS since, raw, big, data FROM thread_things WHERE name = 'types'`,
      ),
    );
    expect(rowsOf(d)).toEqual(rowsOf(c));
    expect(rowsOf<{ raw: unknown }>(d)[0].raw).toBeInstanceOf(Uint8Array);
  });

  it("carries statements started together in one message each way, each with its own answer or refusal", async () => {
    // The server starts a page's reads together, and many pages at once: each message between the
    // threads costs both a clone's set-up and a wake-up, so those cross together.
    // Thirty statements started together; every tenth is refused (division by zero).
    const thirty = (db: Db) =>
      Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          i % 10 === 9
            ? refusal(db.execute(sql`SELECT 1 / ${i - i} AS never`)).then((e) => `refused ${String(e.code)}`)
            : db
                .select({ n: sql<string>`${i}::int * 2`, phone: users.phone })
                .from(users)
                .orderBy(asc(users.id))
                .limit(1)
                .then(([row]) => `${row.n} ${row.phone}`),
        ),
      );
    const posted = vi.spyOn(Worker.prototype, "postMessage");
    const emitted = vi.spyOn(Worker.prototype, "emit");
    try {
      const answers = await thirty(thread.db);
      const replies = emitted.mock.calls
        .filter(([event]) => event === "message")
        .map(([, batch]) => batch as unknown[]);
      // Eight answers at most to a message: PGlite answers all thirty in one turn of its thread,
      // and the first answers must not wait for the last (docs/decisions/057).
      expect({
        posted: posted.mock.calls.length,
        fewerReplies: replies.length < 10,
        atMostEight: Math.max(...replies.map((batch) => batch.length)) <= 8,
      }).toEqual({ posted: 1, fewerReplies: true, atMostEight: true });
      const [expected] = await both(thirty);
      expect(answers).toEqual(expected);
      expect(answers[9]).toBe("refused 22012");
      expect(new Set(answers).size).toBe(28);
    } finally {
      posted.mockRestore();
      emitted.mockRestore();
    }
  });

  it("commits a transaction's writes, and rolls them back when its callback throws or rolls back", async () => {
    const [a, b] = await both(async (db) => {
      await db.transaction(async (tx) => {
        await tx.execute(sql`INSERT INTO thread_things (name) VALUES ('commit-1'), ('commit-2')`);
      });
      const thrown = await db
        .transaction(async (tx) => {
          await tx.execute(sql`INSERT INTO thread_things (name) VALUES ('commit-3')`);
          throw new Error("changed my mind");
        })
        .catch((e: Error) => e.message);
      const rolledBack = await db
        .transaction(async (tx) => {
          await tx.execute(sql`INSERT INTO thread_things (name) VALUES ('commit-4')`);
          tx.rollback();
        })
        .catch((e: Error) => e.constructor.name);
      return { thrown, rolledBack, names: await names(db, "commit-") };
    });
    expect(b).toEqual(a);
    expect(b).toEqual({
      thrown: "changed my mind",
      rolledBack: "TransactionRollbackError",
      names: ["commit-1", "commit-2"],
    });
  });

  it("keeps the outer transaction when a nested one (a savepoint) fails, and a transaction's settings", async () => {
    const [a, b] = await both(async (db) => {
      const isolation = await db.transaction(
        async (tx) => {
          await tx.execute(sql`INSERT INTO thread_things (name) VALUES ('nest-outer')`);
          const inner = await tx
            .transaction(async (inner) => {
              await inner.execute(sql`INSERT INTO thread_things (name) VALUES ('nest-inner')`);
              // refused: the name is taken; the savepoint is rolled back, the outer goes on
              await inner.execute(sql`INSERT INTO thread_things (name) VALUES ('nest-outer')`);
            })
            .catch((e: { cause?: { code?: string } }) => e.cause?.code);
          await tx.transaction(async (inner) => {
            await inner.execute(sql`INSERT INTO thread_things (name) VALUES ('nest-kept')`);
          });
          const level = rowsOf<{ transaction_isolation: string }>(await tx.execute(sql`SHOW transaction_isolation`));
          return { inner, level: level[0].transaction_isolation };
        },
        { isolationLevel: "serializable" },
      );
      return { isolation, names: await names(db, "nest-") };
    });
    expect(b).toEqual(a);
    expect(b).toEqual({
      isolation: { inner: "23505", level: "serializable" },
      names: ["nest-kept", "nest-outer"],
    });
  });

  it("refuses with the Postgres error's fields the domain reads (code, constraint, detail)", async () => {
    const phone = await inProcess.db.select({ phone: users.phone }).from(users).limit(1);
    const fields = (e: Record<string, unknown>) => ({
      code: e.code,
      constraint: e.constraint,
      detail: e.detail,
      table: e.table,
      severity: e.severity,
      message: e.message,
    });
    const [a, b] = await both(async (db) =>
      fields(
        await refusal(
          db
            .update(users)
            .set({ phone: phone[0].phone })
            .where(inArray(users.id, db.select({ id: users.id }).from(users))),
        ),
      ),
    );
    expect(b).toEqual(a);
    expect(b).toMatchObject({ code: "23505", constraint: "users_phone_unique" });
    // bad input is answered 400 by its SQLSTATE class 22 (app/lib/bad-input.server.ts)
    const [c, d] = await both((db) =>
      db.execute(sql`SELECT ${"not a number"}::int AS n`).catch((e: unknown) => isBadInputError(e)),
    );
    expect([c, d]).toEqual([true, true]);
    // a refused statement inside a transaction aborts it as it does in-process
    const [e, f] = await both((db) =>
      db
        .transaction(async (tx) => {
          await tx.execute(sql`INSERT INTO thread_things (name) VALUES ('refused-1')`);
          await tx.execute(sql`INSERT INTO thread_things (name) VALUES ('refused-1')`).catch(() => {});
          await tx.execute(sql`SELECT 1`);
        })
        .then(
          () => "committed",
          (e: { cause?: { code?: string } }) => e.cause?.code,
        ),
    );
    expect(f).toEqual(e);
    expect(f).toBe("25P02");
    const [g, h] = await both((db) => names(db, "refused-"));
    expect([g, h]).toEqual([[], []]);
  });

  it("holds its transaction open across messages: other statements wait for the commit", async () => {
    const [a, b] = await both(async (db) => {
      let release!: () => void;
      const released = new Promise<void>((r) => (release = r));
      const transaction = db.transaction(async (tx) => {
        await tx.execute(sql`INSERT INTO thread_things (name) VALUES ('held')`);
        await released;
      });
      // started while the transaction is open; PGlite has one session, so it runs after the commit
      const seen = names(db, "held");
      await new Promise((r) => setTimeout(r, 50));
      release();
      await transaction;
      return seen;
    });
    expect(b).toEqual(a);
    expect(b).toEqual(["held"]);
  });

  it("delivers notifications, those of a transaction at its commit, and stops when asked", async () => {
    const [a, b] = await both(async (db, database) => {
      const heard: string[] = [];
      const listened: string[] = [];
      const stop = await database.listen(
        "thread_things",
        (payload) => heard.push(payload),
        () => listened.push("listening"),
      );
      await db.execute(sql`INSERT INTO thread_things (name) VALUES ('notify-1')`);
      await expect.poll(() => heard).toEqual(["notify-1"]);
      const duringTransaction = await db.transaction(async (tx) => {
        await tx.execute(sql`INSERT INTO thread_things (name) VALUES ('notify-2')`);
        await new Promise((r) => setTimeout(r, 50));
        return [...heard];
      });
      await expect.poll(() => heard).toEqual(["notify-1", "notify-2"]);
      await stop();
      await db.execute(sql`INSERT INTO thread_things (name) VALUES ('notify-3')`);
      await new Promise((r) => setTimeout(r, 100));
      return { heard, listened, duringTransaction };
    });
    expect(b).toEqual(a);
    expect(b).toEqual({ heard: ["notify-1", "notify-2"], listened: ["listening"], duringTransaction: ["notify-1"] });
  });

  it("migrates an empty database to the tables the seeded image has, and refuses all calls once closed", async () => {
    const fresh = await openDatabase({ thread: true });
    try {
      await migrateDatabase(fresh);
      const tables = (db: Db) =>
        db
          .execute(
            sql`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'thread_things' ORDER BY 1`,
          )
          .then((r) => rowsOf<{ table_name: string }>(r).map((t) => t.table_name));
      const expected = await tables(inProcess.db);
      expect(expected.length).toBeGreaterThan(10);
      expect(await tables(fresh.db)).toEqual(expected);
      expect(await fresh.db.select().from(users).where(eq(users.phone, "13800000001"))).toEqual([]);
    } finally {
      await fresh.close();
    }
    await expect(fresh.db.execute(sql`SELECT 1`)).rejects.toThrow();
  }, 60_000);

  it("tells its owner once when the thread dies unasked, and not when it is closed", async () => {
    // A stand-in thread that dies (as an aborted WebAssembly would) at the first statement it gets.
    const dying = new PgliteThreadClient(
      new Worker(`require("node:worker_threads").parentPort.once("message", () => process.exit(3));`, { eval: true }),
    );
    const failures: Error[] = [];
    dying.onFailure((error) => failures.push(error));
    await expect(dying.query("SELECT 1")).rejects.toThrow("the PGlite thread exited (code 3)");
    await expect(dying.query("SELECT 1")).rejects.toThrow("the PGlite thread exited (code 3)");
    expect(failures.map((e) => e.message)).toEqual(["the PGlite thread exited (code 3)"]);

    const closed = await openDatabase({ thread: true });
    const told: Error[] = [];
    closed.onFailure!((error) => told.push(error));
    await closed.close();
    expect(told).toEqual([]);
  }, 60_000);
});
