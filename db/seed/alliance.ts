/**
 * Demo content of the merchant alliance: a pinned announcement, proposals in each settled state
 * and one under discussion, a follow-up and a joint activity. Fixed dates, no randomness.
 */
import { inArray } from "drizzle-orm";
import type { Db } from "../client";
import {
  allianceActivities,
  allianceActivitySignups,
  allianceAnnouncements,
  allianceComments,
  allianceFollowUps,
  allianceProposals,
  allianceVotes,
  businesses,
} from "../schema";
import { DEMO_USERS } from "./demo";

const at = (iso: string) => new Date(iso);

export async function seedAlliance(tx: Db): Promise<void> {
  const codes = ["S0001", "S0002", "S0003", "S0004", "S0005", "T0001"];
  const rows = await tx
    .select({ id: businesses.id, code: businesses.code })
    .from(businesses)
    .where(inArray(businesses.code, codes));
  const biz = Object.fromEntries(rows.map((r) => [r.code, r.id])) as Record<string, number>;

  await tx.insert(allianceAnnouncements).values({
    id: 1,
    authorId: DEMO_USERS.president.id,
    title: "商家联盟议事规则（演示）",
    body: "每家会员店铺一票，由店主投出。议题投票至少一半会员店铺参与，支持票超过支持与反对之和的一半即通过。",
    pinned: true,
    createdAt: at("2026-01-05T02:00:00Z"),
  });

  await tx.insert(allianceProposals).values([
    {
      id: 1,
      businessId: biz.S0002,
      authorId: DEMO_USERS.president.id,
      category: "resource_sharing",
      title: "夜市共用冷柜和餐具消毒点",
      body: "夜市摊位合用两台冷柜和一个餐具消毒点，费用按摊位分摊。（演示议题）",
      status: "adopted",
      resultVisibility: "live",
      votingOpensAt: at("2026-02-01T02:00:00Z"),
      votingClosesAt: at("2026-02-04T02:00:00Z"),
      memberCount: 6,
      quorum: 3,
      supportPercent: 50,
      supportCount: 4,
      opposeCount: 1,
      abstainCount: 0,
      decidedAt: at("2026-02-04T02:00:00Z"),
      followUpStatus: "in_progress",
      createdAt: at("2026-01-20T02:00:00Z"),
      updatedAt: at("2026-02-10T02:00:00Z"),
    },
    {
      id: 2,
      businessId: biz.S0001,
      authorId: DEMO_USERS.shopOwner.id,
      category: "service",
      title: "统一延长周末营业时间到晚上十点",
      body: "周末客流大，建议商业街统一营业到 22:00。（演示议题）",
      status: "rejected",
      resultVisibility: "after_close",
      votingOpensAt: at("2026-03-01T02:00:00Z"),
      votingClosesAt: at("2026-03-04T02:00:00Z"),
      memberCount: 6,
      quorum: 3,
      supportPercent: 50,
      supportCount: 1,
      opposeCount: 2,
      abstainCount: 1,
      decidedAt: at("2026-03-04T02:00:00Z"),
      createdAt: at("2026-02-20T02:00:00Z"),
      updatedAt: at("2026-03-04T02:00:00Z"),
    },
    {
      id: 3,
      businessId: biz.S0003,
      authorId: DEMO_USERS.vicePresident1.id,
      category: "party_building",
      title: "党员商户每月一次便民服务日",
      body: "党员商户每月第一个周六在服务大厅前摆便民摊：磨刀、修伞、量血压。（演示议题）",
      status: "discussion",
      resultVisibility: "live",
      createdAt: at("2026-04-02T02:00:00Z"),
      updatedAt: at("2026-04-02T02:00:00Z"),
    },
  ]);
  await tx.insert(allianceVotes).values(
    (["S0002", "S0003", "S0004", "S0005"] as const).map((code, i) => ({
      proposalId: 1,
      businessId: biz[code],
      castBy: [
        DEMO_USERS.president.id,
        DEMO_USERS.vicePresident1.id,
        DEMO_USERS.vicePresident2.id,
        DEMO_USERS.moderator.id,
      ][i],
      choice: "support" as const,
      castAt: at("2026-02-02T02:00:00Z"),
    })),
  );
  await tx.insert(allianceVotes).values({
    proposalId: 1,
    businessId: biz.S0001,
    castBy: DEMO_USERS.shopOwner.id,
    choice: "oppose",
    castAt: at("2026-02-02T03:00:00Z"),
  });
  await tx.insert(allianceFollowUps).values([
    {
      id: 1,
      proposalId: 1,
      status: "planned",
      note: "冷柜由联盟统一采购，三月到位。",
      authorId: DEMO_USERS.president.id,
      createdAt: at("2026-02-06T02:00:00Z"),
    },
    {
      id: 2,
      proposalId: 1,
      status: "in_progress",
      note: "第一台冷柜已安装在夜市东口。",
      authorId: DEMO_USERS.vicePresident2.id,
      createdAt: at("2026-02-10T02:00:00Z"),
    },
  ]);
  await tx.insert(allianceComments).values({
    id: 1,
    proposalId: 3,
    authorId: DEMO_USERS.shopOwner.id,
    body: "赞成，我们店可以出一张桌子。",
    createdAt: at("2026-04-03T02:00:00Z"),
  });

  await tx.insert(allianceActivities).values({
    id: 1,
    title: "年货节联合促销（演示）",
    body: "各店铺在商业街统一摆摊，联盟统一宣传。",
    place: "商贸社区一号街",
    startsAt: at("2027-01-23T01:00:00Z"),
    endsAt: at("2027-01-23T10:00:00Z"),
    capacity: 40,
    createdBy: DEMO_USERS.president.id,
    createdAt: at("2026-11-01T02:00:00Z"),
  });
  await tx.insert(allianceActivitySignups).values({
    activityId: 1,
    businessId: biz.S0002,
    userId: DEMO_USERS.president.id,
    createdAt: at("2026-11-02T02:00:00Z"),
  });
}
