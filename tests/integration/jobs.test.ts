/**
 * The one scheduler (issue 21 item 11) and what it settles with nobody on the page (issue 15
 * item 9): an election whose voting closed is counted, the offices move, with the audit entries
 * and the notifications, and /admin's record says when the job ran and what it changed.
 */
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { allianceElections, allianceSettings, auditLog, jobRuns, notifications, userRoles } from "../../db/schema";
import { DEMO_USERS } from "../../db/seed/demo";
import { castBallot, createElection, nominate } from "~/domain/alliance/elections.server";
import { backgroundJobs } from "~/domain/jobs/jobs.server";
import { jobStatuses, runJobIfDue, type Job } from "~/domain/jobs/runner.server";
import { createLogger } from "~/lib/log.server";
import { useTestDatabase } from "../helpers/kit";
import { whileJobsRun } from "../helpers/jobs";

const kit = useTestDatabase();
const { db, businessId, demo } = kit;
const log = createLogger("silent");
const HOUR = 3_600_000;
describe("the scheduler", () => {
  it("runs a job once per interval across runners, never twice at once, and records results and errors", async () => {
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow: Job = {
      name: "test.slow",
      everyMs: 60_000,
      run: async () => {
        calls++;
        await gate;
        return { changed: 2, detail: { proposals: 2 } };
      },
    };
    const now = new Date();
    const first = runJobIfDue(db(), log, slow, { runner: "a", now });
    // Wait until "a" holds the claim, then a second process tries the same job.
    await expect
      .poll(async () => (await db().select().from(jobRuns).where(eq(jobRuns.name, "test.slow")))[0]?.runningBy)
      .toBe("a");
    expect(await runJobIfDue(db(), log, slow, { runner: "b", now: new Date(now.getTime() + 61_000) })).toBeUndefined();
    release();
    expect(await first).toEqual({ changed: 2, detail: { proposals: 2 } });
    expect(calls).toBe(1);
    // Within the interval nobody runs it again; after it, anyone may.
    expect(await runJobIfDue(db(), log, slow, { runner: "b", now: new Date(now.getTime() + 30_000) })).toBeUndefined();
    expect(await runJobIfDue(db(), log, slow, { runner: "b", now: new Date(now.getTime() + 61_000) })).toMatchObject({
      changed: 2,
    });
    const [row] = await db().select().from(jobRuns).where(eq(jobRuns.name, "test.slow"));
    expect(row).toMatchObject({
      runningSince: null,
      lastOutcome: "ok",
      lastChanged: 2,
      lastChangeCount: 2,
      lastChangeDetail: { proposals: 2 },
      runs: 2,
      failures: 0,
    });

    const failing: Job = {
      name: "test.failing",
      everyMs: 60_000,
      run: () => Promise.reject(new Error("database went away")),
    };
    expect(await runJobIfDue(db(), log, failing, { runner: "a", now })).toEqual({ changed: 0 });
    const [failed] = await db().select().from(jobRuns).where(eq(jobRuns.name, "test.failing"));
    expect(failed).toMatchObject({
      runningSince: null,
      lastOutcome: "failed",
      lastError: "database went away",
      failures: 1,
    });
    expect(failed.lastFailedAt).toBeInstanceOf(Date);
  });

  it("takes over a claim left by a process that died mid-run once its lease is over", async () => {
    const job: Job = { name: "test.orphan", everyMs: 60_000, run: () => Promise.resolve({ changed: 0 }) };
    const now = new Date();
    await db()
      .insert(jobRuns)
      .values({
        name: job.name,
        runningSince: new Date(now.getTime() - 20 * 60_000),
        runningBy: "dead:1",
        lastStartedAt: new Date(now.getTime() - 20 * 60_000),
      });
    expect(await runJobIfDue(db(), log, job, { runner: "a", now })).toEqual({ changed: 0 });
  });

  it("shows administrators every job, and nobody else", async () => {
    const statuses = await jobStatuses(db(), await demo("admin"), backgroundJobs);
    expect(statuses.map((s) => s.name)).toEqual(backgroundJobs.map((j) => j.name));
    for (const who of ["resident", "president", "mediator", "gridWorker"] as const) {
      await expect(jobStatuses(db(), await demo(who), backgroundJobs)).rejects.toMatchObject({ status: 403 });
    }
  });
});

describe("an election closes with nobody visiting (issue 15, item 9)", () => {
  it("is counted by the server's scheduler at its closing time: the offices move, audited, and the candidates are told", async () => {
    const now = Date.now();
    const at = (hours: number) => new Date(now + hours * HOUR);
    // One ballot is all this test casts: no minimum turnout, so that one ballot elects.
    await db().update(allianceSettings).set({ electionQuorumPercent: 0 }).where(eq(allianceSettings.id, 1));
    const election = await createElection(db(), await demo("admin"), {
      term: "无人访问",
      nominationOpensAt: at(-72),
      nominationClosesAt: at(-48),
      votingOpensAt: at(-48),
      votingClosesAt: at(-1),
    });
    const merchant = await demo("shopOwner");
    const s0001 = await businessId("S0001");
    const candidate = await nominate(
      db(),
      merchant,
      election.id,
      { businessId: s0001, office: "president", statement: "服务大家" },
      at(-60),
    );
    await castBallot(
      db(),
      merchant,
      election.id,
      { businessId: s0001, president: candidate.id, vicePresidents: [] },
      at(-24),
    );
    expect(
      (await db().select().from(allianceElections).where(eq(allianceElections.id, election.id)))[0].finalizedAt,
    ).toBeNull();

    // Nobody opens a page: the scheduler the server starts does the work.
    const finalizedAt = async () =>
      (await db().select().from(allianceElections).where(eq(allianceElections.id, election.id)))[0].finalizedAt;
    await whileJobsRun(db(), () => expect.poll(finalizedAt, { timeout: 15_000 }).not.toBeNull(), 20);
    const presidents = await db().select().from(userRoles).where(eq(userRoles.role, "president"));
    expect(presidents.map((r) => r.userId)).toEqual([DEMO_USERS.shopOwner.id]);
    const granted = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "role.granted"), eq(auditLog.subjectId, DEMO_USERS.shopOwner.id)));
    expect(granted).toHaveLength(1);
    expect(granted[0]).toMatchObject({ actorId: null, after: { role: "president", election: election.id } });
    const revoked = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "role.revoked"), eq(auditLog.subjectId, DEMO_USERS.president.id)));
    expect(revoked).toHaveLength(1);
    const told = await db()
      .select()
      .from(notifications)
      .where(
        and(eq(notifications.userId, DEMO_USERS.shopOwner.id), eq(notifications.kind, "alliance.electionResults")),
      );
    expect(told).toHaveLength(1);
    // /admin's record of the job says when it ran and what it changed.
    const [row] = await db().select().from(jobRuns).where(eq(jobRuns.name, "settleElections"));
    expect(row).toMatchObject({ lastOutcome: "ok", lastChangeCount: 1, lastChangeDetail: { elections: 1 } });
    expect(row.lastChangeAt).toBeInstanceOf(Date);
  });
});
