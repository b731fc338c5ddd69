/**
 * Secret ballots against a database reader (docs/decisions/014-ballots-sealed-until-the-count.md):
 * a role that may only SELECT tries the joins a DBA would (equal xmin, xmin order, ctid order, plain
 * row order, id order, timestamps, sequences) between "who voted" and "what was voted", while the
 * election is open and after it is counted, and must never tie a readable ballot to its business.
 * Postgres server only: PGlite has one user and no roles.
 */
import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf, type Database } from "../../db/client";
import { businessMembers, businesses, users } from "../../db/schema";
import { DEMO_USERS } from "../../db/seed/demo";
import { loadUser } from "~/domain/accounts/accounts.server";
import {
  ballotCounted,
  castBallot,
  createElection,
  hashReceipt,
  nominate,
  settleDueElections,
} from "~/domain/alliance/elections.server";
import { openTestDatabase } from "../helpers/db";

// A SELECT-only role, xmin, ctid and pageinspect are the Postgres server's: vitest.config.ts runs
// *.pg.test.ts files in the integration:postgres project only.
if (process.env.XQ_TEST_DB !== "postgres") throw new Error("ballot-secrecy runs on the Postgres server only");

let database: Database;
let reader: postgres.Sql;
let readerRole = "";
let admin: postgres.Sql;

const HOUR = 3_600_000;
const T0 = new Date("2026-12-01T02:00:00Z");
const after = (hours: number) => new Date(T0.getTime() + hours * HOUR);
const db = () => database.db;
const actor = async (id: string) => (await loadUser(db(), id))!;

async function businessId(code: string) {
  const [b] = await db().select({ id: businesses.id }).from(businesses).where(eq(businesses.code, code));
  return b.id;
}

describe("ballots a SELECT-only database role cannot link to businesses", () => {
  beforeAll(async () => {
    database = await openTestDatabase();
    // The test database's own URL, from the connection the app uses.
    const url = new URL(process.env.TEST_DATABASE_URL!);
    const [{ name }] = rowsOf<{ name: string }>(await db().execute(sql`select current_database() as name`));
    url.pathname = `/${name}`;
    admin = postgres(url.toString(), { max: 1, onnotice: () => {} });
    readerRole = `xq_reader_${randomBytes(4).toString("hex")}`;
    const password = randomBytes(12).toString("hex");
    await admin.unsafe(`CREATE ROLE ${readerRole} LOGIN PASSWORD '${password}'`);
    await admin.unsafe(`GRANT CONNECT ON DATABASE "${name}" TO ${readerRole}`);
    await admin.unsafe(`GRANT USAGE ON SCHEMA public TO ${readerRole}`);
    await admin.unsafe(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${readerRole}`);
    const readerUrl = new URL(url.toString());
    readerUrl.username = readerRole;
    readerUrl.password = password;
    reader = postgres(readerUrl.toString(), { max: 1, onnotice: () => {} });
  });

  afterAll(async () => {
    await reader?.end();
    if (admin) {
      await admin.unsafe(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${readerRole}`);
      await admin.unsafe(`REVOKE ALL ON SCHEMA public FROM ${readerRole}`);
      const [{ name }] = await admin<{ name: string }[]>`select current_database() as name`;
      await admin.unsafe(`REVOKE ALL ON DATABASE "${name}" FROM ${readerRole}`);
    }
    await admin?.end();
    await database?.close();
    // The role belongs to the server, not to the dropped database.
    const cleanup = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
    await cleanup.unsafe(`DROP ROLE IF EXISTS ${readerRole}`);
    await cleanup.end();
  });

  it("neither while voting is open nor after the count", async () => {
    const election = await createElection(db(), await actor(DEMO_USERS.admin.id), {
      term: "保密测试",
      nominationOpensAt: T0,
      nominationClosesAt: after(24),
      votingOpensAt: after(24),
      votingClosesAt: after(48),
    });
    // Two more member businesses, so eight voters cast eight different ballots.
    for (const [i, code] of ["S0090", "S0091"].entries()) {
      const id = `secrecy-owner-${i}`;
      await db()
        .insert(users)
        .values({ id, phone: `1370009${String(i).padStart(4, "0")}`, displayName: `保密店主${i}`, passwordHash: "x" });
      await db()
        .insert(businessMembers)
        .values({ businessId: await businessId(code), userId: id, role: "owner" });
    }
    const standing = [
      [DEMO_USERS.shopOwner.id, "S0001", "president"],
      [DEMO_USERS.stallOwner.id, "T0001", "president"],
      [DEMO_USERS.vicePresident1.id, "S0003", "vice_president"],
      [DEMO_USERS.vicePresident2.id, "S0004", "vice_president"],
      [DEMO_USERS.moderator.id, "S0005", "vice_president"],
    ] as const;
    const c: number[] = [];
    for (const [userId, code, office] of standing) {
      const candidate = await nominate(
        db(),
        await actor(userId),
        election.id,
        { businessId: await businessId(code), office, statement: "参选" },
        after(1),
      );
      c.push(candidate.id);
    }
    const [pA, pB, vC, vD, vE] = c;
    const voters: [string, string, { president?: number; vicePresidents: number[] }][] = [
      [DEMO_USERS.shopOwner.id, "S0001", { president: pA, vicePresidents: [vC] }],
      [DEMO_USERS.stallOwner.id, "T0001", { president: pB, vicePresidents: [vD] }],
      [DEMO_USERS.president.id, "S0002", { president: pA, vicePresidents: [vC, vD] }],
      [DEMO_USERS.vicePresident1.id, "S0003", { president: pB, vicePresidents: [vE] }],
      [DEMO_USERS.vicePresident2.id, "S0004", { president: pA, vicePresidents: [] }],
      [DEMO_USERS.moderator.id, "S0005", { president: pB, vicePresidents: [vC, vE] }],
      ["secrecy-owner-0", "S0090", { vicePresidents: [vD, vE] }],
      ["secrecy-owner-1", "S0091", { president: pA, vicePresidents: [vE] }],
    ];
    const key = (choices: { president?: number | null; vicePresidents: number[] }) =>
      `${choices.president ?? "-"}|${[...choices.vicePresidents].sort((a, b) => a - b).join(",")}`;
    const truth = new Map<number, string>();
    const receipts: string[] = [];
    for (const [i, [userId, code, choices]] of voters.entries()) {
      const bid = await businessId(code);
      truth.set(bid, key(choices));
      const { receipt } = await castBallot(
        db(),
        await actor(userId),
        election.id,
        { businessId: bid, ...choices },
        after(25 + i),
      );
      receipts.push(receipt);
    }
    const hashes = receipts.map(hashReceipt);

    /** Every join a DBA would try; returns the names of those that tie a readable ballot to its business. */
    async function linkingJoins(): Promise<string[]> {
      const found: string[] = [];
      const participation: { business_id: number; xmin: string; ctid: string }[] = [
        ...(await reader<{ business_id: number; xmin: string; ctid: string }[]>`
        select business_id, xmin::text as xmin, ctid::text as ctid from alliance_ballot_participation
        where election_id = ${election.id}`),
      ];
      expect(participation).toHaveLength(voters.length);
      // Every row of every table that holds this election's ballots, read as the DBA reads them.
      const tables = await reader<{ table_name: string }[]>`
        select table_name from information_schema.tables
        where table_schema = 'public' and table_name like 'alliance_ballot%' and table_name <> 'alliance_ballot_participation'`;
      const ballots: {
        table: string;
        xmin: string;
        ctid: string;
        id: string;
        position: number;
        choice: string | null;
      }[] = [];
      for (const { table_name } of tables) {
        const rows = await reader.unsafe<{ xmin: string; ctid: string; row: Record<string, unknown> }[]>(
          `select xmin::text as xmin, ctid::text as ctid, to_jsonb(t) as row from ${table_name} t where election_id = $1`,
          [election.id],
        );
        for (const [position, r] of rows.entries()) {
          const text = JSON.stringify(r.row);
          // A receipt hash read next to a row that a join ties to a business would link the receipt's ballot.
          if (hashes.some((h) => text.includes(h)) && table_name !== "alliance_ballots")
            found.push(`receipt hash readable in ${table_name}`);
          const choices = r.row.choices as { president: number | null; vicePresidents: number[] } | undefined;
          ballots.push({
            table: table_name,
            xmin: r.xmin,
            ctid: r.ctid,
            id: String(r.row.id ?? ""),
            position,
            choice: choices ? key(choices) : null,
          });
        }
      }
      // The reader sees a row for every ballot cast (sealed or counted), so the joins below are tried on them all.
      expect(ballots).toHaveLength(voters.length);
      const readable = ballots.filter((b) => b.choice != null);
      // 1. The same transaction id on "has voted" and on a readable ballot.
      for (const p of participation) {
        const same = readable.filter((b) => b.xmin === p.xmin);
        if (same.length === 1 && same[0].choice === truth.get(p.business_id)) found.push("equal xmin");
      }
      const ctidKey = (ctid: string) => {
        const [page, item] = ctid.replace(/[()]/g, "").split(",").map(Number);
        return page * 100_000 + item;
      };
      const zipLinks = (name: string, ps: typeof participation, bs: typeof readable) => {
        if (bs.length !== ps.length || bs.length < 2) return;
        if (ps.every((p, i) => bs[i].choice === truth.get(p.business_id))) found.push(name);
      };
      const byXmin = <T extends { xmin: string }>(rows: T[]) =>
        [...rows].sort((a, b) => Number(BigInt(a.xmin) - BigInt(b.xmin)));
      const byCtid = <T extends { ctid: string }>(rows: T[]) =>
        [...rows].sort((a, b) => ctidKey(a.ctid) - ctidKey(b.ctid));
      // 2. xmin order (consecutive transactions), only meaningful when the ballots' xmins differ.
      if (new Set(readable.map((b) => b.xmin)).size === readable.length)
        zipLinks("xmin order", byXmin(participation), byXmin(readable));
      // 3. Physical order, 4. the order rows come back in, 5. id order.
      zipLinks("ctid order", byCtid(participation), byCtid(readable));
      zipLinks(
        "row order",
        participation,
        [...readable].sort((a, b) => a.position - b.position),
      );
      zipLinks(
        "id order",
        byCtid(participation),
        [...readable].sort((a, b) => a.id.localeCompare(b.id)),
      );
      // 6. Timestamps and 7. sequence values on either side.
      const columns = await reader<
        {
          table_name: string;
          column_name: string;
          data_type: string;
          column_default: string | null;
          is_identity: string;
        }[]
      >`
        select table_name, column_name, data_type, column_default, is_identity from information_schema.columns
        where table_schema = 'public' and table_name like 'alliance_ballot%'`;
      for (const col of columns) {
        if (col.data_type.startsWith("timestamp") || col.data_type === "date")
          found.push(`timestamp ${col.table_name}.${col.column_name}`);
        if (col.column_default != null || col.is_identity === "YES")
          found.push(`default or sequence ${col.table_name}.${col.column_name}`);
      }
      return found;
    }

    // While voting is open.
    expect(await linkingJoins()).toEqual([]);
    expect(await ballotCounted(db(), election.id, receipts[0])).toBe(true);

    // After the count.
    await settleDueElections(db(), after(48));
    expect(await linkingJoins()).toEqual([]);
    const counted = await reader<{ n: number }[]>`
      select count(*)::int as n from alliance_ballots where election_id = ${election.id}`;
    expect(counted[0].n).toBe(voters.length);
    for (const receipt of receipts) expect(await ballotCounted(db(), election.id, receipt)).toBe(true);
    // Nothing of the voting order stays on disk: no dead row versions in the ballot tables.
    await admin.unsafe(`CREATE EXTENSION IF NOT EXISTS pageinspect`);
    const tables = await admin<{ table_name: string }[]>`
      select table_name from information_schema.tables where table_schema = 'public' and table_name like 'alliance_ballot%'`;
    for (const { table_name } of tables) {
      if (table_name === "alliance_ballot_participation") continue;
      const [{ pages }] = await admin<{ pages: number }[]>`
        select pg_relation_size(${table_name}::regclass) / current_setting('block_size')::int as pages`;
      let dead = 0;
      for (let page = 0; page < pages; page++) {
        const items = await admin.unsafe<{ n: number }[]>(
          `select count(*)::int as n from heap_page_items(get_raw_page($1, $2)) where t_xmax <> '0' or lp_flags <> 1`,
          [table_name, page],
        );
        dead += items[0].n;
      }
      expect({ table: table_name, dead }).toEqual({ table: table_name, dead: 0 });
    }
  });
});
