import { createProposal } from "~/domain/alliance/proposals.server";
import type { TestKit } from "./kit";

/**
 * A proposal the demo shop owner raises for their shop S0001 and puts up for discussion at
 * `discussedAt` (a service matter, results shown live).
 */
export async function proposalUpForDiscussion(kit: TestKit, title: string, discussedAt: Date) {
  return createProposal(
    kit.db(),
    await kit.demo("shopOwner"),
    {
      businessId: await kit.businessId("S0001"),
      category: "service",
      title,
      body: "正文",
      resultVisibility: "live",
      publish: "discussion",
    },
    discussedAt,
  );
}
