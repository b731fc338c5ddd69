import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  allianceActivities,
  allianceActivitySignups,
  allianceAnnouncements,
  auditLog,
  notifications,
} from "../../db/schema";
import { DEMO_USERS } from "../../db/seed/demo";
import { getProposal, openVoting } from "~/domain/alliance/proposals.server";
import { shopOwnersProposal } from "../helpers/alliance";
import {
  cancelActivity,
  createActivity,
  editActivity,
  listActivities,
  signUp,
  withdrawSignUp,
} from "~/domain/alliance/activities.server";
import {
  editAnnouncement,
  listAnnouncements,
  postAnnouncement,
  withdrawAnnouncement,
} from "~/domain/alliance/board.server";
import { decideNomination, nominate, openRound } from "~/domain/badges/selection.server";
import { roundSchema } from "~/domain/badges/schemas";
import { announcementText } from "~/components/localized";
import { disputeListScope } from "~/domain/disputes/disputes.server";
import { createI18n } from "~/i18n/i18n";
import { useTestDatabase } from "../helpers/kit";

const kit = useTestDatabase();
const { db, businessId, demo } = kit;

const HOUR = 3_600_000;
const T0 = new Date("2026-12-01T02:00:00Z");
const after = (hours: number) => new Date(T0.getTime() + hours * HOUR);
describe("who may vote on a proposal, said on its page", () => {
  it("tells a resident, a signed-out visitor and staff why there are no vote buttons; an owner has none of that", async () => {
    const { merchant, proposal } = await shopOwnersProposal(
      kit,
      { category: "service", title: "市场公厕延长开放时间" },
      T0,
    );
    // Before voting opens nobody is told anything about voting.
    expect((await getProposal(db(), await demo("resident"), proposal.id, T0)).whyNoVote).toBeNull();
    // Voting opens once the minimum discussion period (24 h by default) is over.
    await openVoting(db(), merchant, proposal.id, 24, after(24));
    const at = after(25);
    expect((await getProposal(db(), await demo("resident"), proposal.id, at)).whyNoVote).toBe("notOwner");
    expect((await getProposal(db(), await demo("admin"), proposal.id, at)).whyNoVote).toBe("notOwner");
    expect((await getProposal(db(), null, proposal.id, at)).whyNoVote).toBe("signedOut");
    expect((await getProposal(db(), merchant, proposal.id, at)).whyNoVote).toBeNull();
    // After the window, nobody is told they may not vote: voting is over for everyone.
    expect((await getProposal(db(), await demo("resident"), proposal.id, after(49))).whyNoVote).toBeNull();
    for (const locale of ["zh-CN", "en"] as const) {
      const { t } = createI18n(locale);
      expect(t("alliance.proposal.whyNoVote.notOwner")).not.toBe("alliance.proposal.whyNoVote.notOwner");
      expect(t("alliance.proposal.whyNoVote.signedOut")).not.toBe("alliance.proposal.whyNoVote.signedOut");
    }
  });
});

describe("the /disputes list says what it shows", () => {
  it("is every dispute for staff and officers, one's own for everyone else", async () => {
    expect(disputeListScope(await demo("admin"))).toBe("all");
    expect(disputeListScope(await demo("mediator"))).toBe("all");
    expect(disputeListScope(await demo("president"))).toBe("all");
    expect(disputeListScope(await demo("resident"))).toBe("mine");
    expect(disputeListScope(await demo("shopOwner"))).toBe("mine");
  });
});

/** Everything a refused change could have written. */
const snapshot = kit.tablesSnapshot(
  { activities: allianceActivities, announcements: allianceAnnouncements },
  { signups: allianceActivitySignups, notifications, audit: auditLog },
);
/** Refused, and what `snapshot` reads is the same after. */
const expectRefused = kit.refusalsKeeping(snapshot);
const noticesOf = async (key: keyof typeof DEMO_USERS, kind: string) =>
  (await db().select().from(notifications).where(eq(notifications.userId, DEMO_USERS[key].id))).filter(
    (n) => n.kind === kind,
  );

describe("activities: withdrawing a sign-up, changing and cancelling before the start", () => {
  const input = () => ({
    title: "消防演练",
    body: "各店派一人",
    place: "服务大厅",
    startsAt: after(48),
    endsAt: after(50),
  });

  it("the owner withdraws their business's sign-up before the start, freeing the place; nobody else can, nor after the start", async () => {
    const activity = await createActivity(db(), await demo("president"), { ...input(), capacity: 1 });
    const s0001 = await businessId("S0001");
    await signUp(db(), await demo("shopOwner"), activity.id, s0001, T0);
    await expectRefused(async () => withdrawSignUp(db(), await demo("resident"), activity.id, s0001, T0), {
      status: 403,
    });
    await expectRefused(async () => withdrawSignUp(db(), await demo("president"), activity.id, s0001, T0), {
      status: 403,
    });
    await expectRefused(async () => withdrawSignUp(db(), await demo("shopOwner"), activity.id, s0001, after(49)), {
      code: "alliance.errors.activityStarted",
      status: 409,
    });
    await withdrawSignUp(db(), await demo("shopOwner"), activity.id, s0001, T0);
    await expectRefused(async () => withdrawSignUp(db(), await demo("shopOwner"), activity.id, s0001, T0), {
      code: "alliance.errors.notSignedUp",
    });
    // The place is free again: another business takes it.
    await signUp(db(), await demo("stallOwner"), activity.id, await businessId("T0001"), T0);
    const [listed] = (await listActivities(db(), await demo("shopOwner"), T0)).filter((a) => a.id === activity.id);
    expect(listed.mySignedUp).toEqual([]);
    expect(listed.signups).toEqual(["赵姐凉皮"]);
  });

  it("an officer changes it before the start with a reason; the signed-up owners are told; merchants and residents are refused", async () => {
    const activity = await createActivity(db(), await demo("president"), input());
    await signUp(db(), await demo("shopOwner"), activity.id, await businessId("S0001"), T0);
    const change = { ...input(), place: "二号街口", reason: "服务大厅装修，改到二号街口" };
    for (const who of ["shopOwner", "resident", "stallOwner"] as const)
      await expectRefused(async () => editActivity(db(), await demo(who), activity.id, change, T0), { status: 403 });
    await expectRefused(async () => editActivity(db(), await demo("moderator"), activity.id, change, after(49)), {
      code: "alliance.errors.activityStarted",
    });
    await editActivity(db(), await demo("moderator"), activity.id, change, T0);
    const [row] = await db().select().from(allianceActivities).where(eq(allianceActivities.id, activity.id));
    expect(row).toMatchObject({ place: "二号街口", editReason: "服务大厅装修，改到二号街口" });
    const told = await noticesOf("shopOwner", "alliance.activityChanged");
    expect(told.at(-1)?.params).toEqual({ title: "消防演练", reason: "服务大厅装修，改到二号街口" });
    expect(await noticesOf("stallOwner", "alliance.activityChanged")).toEqual([]);
  });

  it("an officer cancels it before the start with a reason; the signed-up owners are told; it stays listed as cancelled and takes no sign-ups", async () => {
    const activity = await createActivity(db(), await demo("president"), input());
    await signUp(db(), await demo("shopOwner"), activity.id, await businessId("S0001"), T0);
    await expectRefused(async () => cancelActivity(db(), await demo("shopOwner"), activity.id, "不办了", T0), {
      status: 403,
    });
    await expectRefused(async () => cancelActivity(db(), await demo("president"), activity.id, "不办了", after(49)), {
      code: "alliance.errors.activityStarted",
    });
    const before = (await noticesOf("shopOwner", "alliance.activityCancelled")).length;
    await cancelActivity(db(), await demo("president"), activity.id, "暴雨预警，改期另行通知", T0);
    const told = await noticesOf("shopOwner", "alliance.activityCancelled");
    expect(told).toHaveLength(before + 1);
    expect(told.at(-1)?.params).toEqual({ title: "消防演练", reason: "暴雨预警，改期另行通知" });
    const [listed] = (await listActivities(db(), null, T0)).filter((a) => a.id === activity.id);
    expect(listed).toMatchObject({ cancelReason: "暴雨预警，改期另行通知", upcoming: false });
    await expectRefused(
      async () => signUp(db(), await demo("stallOwner"), activity.id, await businessId("T0001"), T0),
      {
        code: "alliance.errors.activityCancelled",
      },
    );
    await expectRefused(async () => cancelActivity(db(), await demo("president"), activity.id, "再取消", T0), {
      code: "alliance.errors.activityCancelled",
    });
  });
});

describe("announcements: correcting and withdrawing with a reason members are told", () => {
  it("an officer corrects, then withdraws; every member owner is told; it stays listed as withdrawn; others are refused", async () => {
    const { id } = await postAnnouncement(
      db(),
      await demo("president"),
      { title: "本周六卫生大扫除", body: "早上 8 点", pinned: true },
      T0,
    );
    const edit = { title: "本周日卫生大扫除", body: "早上 8 点", reason: "日期写错了" };
    for (const who of ["shopOwner", "resident", "stallOwner"] as const) {
      await expectRefused(async () => editAnnouncement(db(), await demo(who), id, edit, T0), { status: 403 });
      await expectRefused(async () => withdrawAnnouncement(db(), await demo(who), id, "x", T0), { status: 403 });
    }
    await editAnnouncement(db(), await demo("moderator"), id, edit, after(1));
    for (const owner of ["shopOwner", "stallOwner", "president"] as const)
      expect((await noticesOf(owner, "alliance.announcementChanged")).at(-1)?.params).toEqual({
        title: "本周日卫生大扫除",
        reason: "日期写错了",
      });
    expect(await noticesOf("resident", "alliance.announcementChanged")).toEqual([]);
    await withdrawAnnouncement(db(), await demo("president"), id, "活动取消", after(2));
    expect((await noticesOf("shopOwner", "alliance.announcementWithdrawn")).at(-1)?.params).toEqual({
      title: "本周日卫生大扫除",
      reason: "活动取消",
    });
    const [listed] = (await listAnnouncements(db(), null)).filter((a) => a.id === id);
    expect(listed).toMatchObject({ title: "本周日卫生大扫除", editReason: "日期写错了", withdrawnReason: "活动取消" });
    expect(listed.pinned).toBe(false);
    await expectRefused(async () => editAnnouncement(db(), await demo("president"), id, edit, after(3)), {
      code: "alliance.errors.announcementWithdrawn",
    });
  });
});

describe("plaque award announcements in the reader's language", () => {
  it("stores the award's parts, so the English board reads English and the Chinese board Chinese", async () => {
    const admin = await demo("admin");
    const DAY = 86_400_000;
    const round = await openRound(
      db(),
      admin,
      roundSchema.parse({
        kind: "model_merchant",
        year: "2027",
        criteria: "党员带头诚信经营。",
        nominationFrom: "2026-12-01",
        nominationTo: "2026-12-14",
        reviewFrom: "2026-12-10",
        reviewTo: "2026-12-31",
      }),
      T0,
    );
    const nomination = await nominate(
      db(),
      await demo("president"),
      { roundId: round.id, businessCode: "S0010", reason: "带头明码标价" },
      new Date(T0.getTime() + 0.1 * DAY),
    );
    await decideNomination(
      db(),
      admin,
      nomination.id,
      { decision: "award", comment: "群众满意" },
      new Date(T0.getTime() + 10 * DAY),
    );
    // An award takes a second staff decision.
    await decideNomination(
      db(),
      await demo("mediator"),
      nomination.id,
      { decision: "award", comment: "群众满意" },
      new Date(T0.getTime() + 10 * DAY),
    );
    const latest = (await listAnnouncements(db(), null, 100)).find((a) => a.messageParams?.business !== undefined)!;
    expect(latest.messageParams).toMatchObject({ year: 2027, plaque: "model_merchant", comment: "群众满意" });
    const en = announcementText(latest, createI18n("en").t);
    expect(en.title).toBe("2027 Party-member model merchant: " + latest.messageParams?.business);
    expect(en.body).toContain("Citation: 群众满意");
    expect(en.title + en.body).not.toMatch(/年度|评语|核验/);
    const zh = announcementText(latest, createI18n("zh-CN").t);
    expect(zh.title).toBe(latest.title);
    expect(zh.body).toBe(latest.body);
  });
});
