import { describe, expect, it } from "vitest";
import { countBallots } from "~/domain/alliance/elections.server";
import { bigramsOf, outcomeOf, quorumFor, tallyOf, titleSimilarity } from "~/domain/alliance/rules";
import { proposalSchema } from "~/domain/alliance/schemas";

describe("counting a proposal's votes", () => {
  const rule = { quorum: 3, supportPercent: 50 };
  it("needs half the member businesses, rounded up", () => {
    expect(quorumFor(6)).toBe(3);
    expect(quorumFor(7)).toBe(4);
    expect(quorumFor(1)).toBe(1);
    expect(quorumFor(0)).toBe(1);
  });
  it("adopts at exactly the quorum, abstentions counting toward it", () => {
    expect(outcomeOf(tallyOf(["support", "support", "abstain"]), rule)).toEqual({
      turnout: 3,
      quorumReached: true,
      majority: true,
      adopted: true,
    });
  });
  it("rejects one short of the quorum, however strong the support", () => {
    expect(outcomeOf(tallyOf(["support", "support"]), rule)).toMatchObject({
      quorumReached: false,
      majority: true,
      adopted: false,
    });
  });
  it("rejects a tie, and needs some support at all", () => {
    expect(outcomeOf(tallyOf(["support", "oppose", "abstain", "abstain"]), rule)).toMatchObject({
      quorumReached: true,
      majority: false,
      adopted: false,
    });
    expect(outcomeOf(tallyOf(["abstain", "abstain", "abstain"]), rule)).toMatchObject({
      quorumReached: true,
      majority: false,
      adopted: false,
    });
  });
  it("counts the share among support and oppose only", () => {
    expect(outcomeOf(tallyOf(["support", "support", "oppose", "abstain", "abstain", "abstain"]), rule).adopted).toBe(
      true,
    );
    expect(outcomeOf(tallyOf(["support", "support", "oppose"]), { quorum: 3, supportPercent: 67 }).adopted).toBe(false);
    expect(
      outcomeOf(tallyOf(["support", "support", "support", "oppose"]), { quorum: 3, supportPercent: 67 }).adopted,
    ).toBe(true);
  });
});

describe("similar titles", () => {
  it("pairs Chinese characters, so short terms still match", () => {
    expect([...bigramsOf("拉面馆")]).toEqual(["拉面", "面馆"]);
    expect(titleSimilarity("拉面馆", "兰州拉面馆")).toBeCloseTo(2 / 3);
    expect(titleSimilarity("收摊时间", "夜市统一收摊时间")).toBeGreaterThan(0.4);
    expect(titleSimilarity("春节灯笼", "停车位")).toBe(0);
  });
  it("treats latin words and digits as tokens and ignores punctuation and width", () => {
    expect(titleSimilarity("WiFi 共享", "ｗｉｆｉ共享！")).toBe(1);
    expect(titleSimilarity("", "任何")).toBe(0);
  });
});

describe("counting an election", () => {
  const at = (m: number) => new Date(Date.UTC(2026, 0, 1, 0, m));
  const candidates = [
    { id: 1, office: "president" as const, userId: "a", createdAt: at(2) },
    { id: 2, office: "president" as const, userId: "b", createdAt: at(1) },
    { id: 3, office: "vice_president" as const, userId: "c", createdAt: at(1) },
    { id: 4, office: "vice_president" as const, userId: "d", createdAt: at(2) },
    { id: 5, office: "vice_president" as const, userId: "e", createdAt: at(3) },
  ];
  it("elects the most voted per office, two vice-presidents, ties to the earlier nomination", () => {
    const { winners, tallies } = countBallots(candidates, [
      { president: 1, vicePresidents: [4, 5] },
      { president: 2, vicePresidents: [5] },
      { president: null, vicePresidents: [3, 4] },
    ]);
    expect(tallies.find((t) => t.candidateId === 5)!.votes).toBe(2);
    expect(winners).toEqual([
      { candidateId: 2, office: "president", userId: "b" },
      { candidateId: 4, office: "vice_president", userId: "d" },
      { candidateId: 5, office: "vice_president", userId: "e" },
    ]);
  });
  it("elects nobody without votes", () => {
    expect(countBallots(candidates, []).winners).toEqual([]);
  });
});

describe("proposal input", () => {
  const base = { businessId: "1", category: "service", title: "标题", body: "正文" };
  it("refuses an empty title and an overlong body with message keys", () => {
    const empty = proposalSchema.safeParse({ ...base, title: "   " });
    expect(empty.error?.issues.map((i) => [i.path[0], i.message])).toEqual([["title", "errors.required"]]);
    const long = proposalSchema.safeParse({ ...base, body: "字".repeat(4001) });
    expect(long.error?.issues.map((i) => [i.path[0], i.message])).toEqual([["body", "alliance.errors.bodyTooLong"]]);
    expect(proposalSchema.parse(base)).toMatchObject({
      businessId: 1,
      resultVisibility: "live",
      publish: "discussion",
    });
  });
});
