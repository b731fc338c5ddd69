import { createProposal } from "~/domain/alliance/proposals.server";
import type { TestKit } from "./kit";

type ProposalFields = Pick<Parameters<typeof createProposal>[2], "category" | "title" | "resultVisibility" | "publish">;

/**
 * A proposal the demo shop owner raises for their shop S0001 at `at` (body "正文"): `fields` its
 * title and, when not a matter of "other" published for discussion with results shown live, the
 * rest. The shop owner (to go on acting) and the proposal.
 */
export async function shopOwnersProposal(kit: TestKit, fields: Partial<ProposalFields> & { title: string }, at: Date) {
  const merchant = await kit.demo("shopOwner");
  const proposal = await createProposal(
    kit.db(),
    merchant,
    {
      businessId: await kit.businessId("S0001"),
      category: "other",
      body: "正文",
      resultVisibility: "live",
      publish: "discussion",
      ...fields,
    },
    at,
  );
  return { merchant, proposal };
}

/**
 * A proposal the demo shop owner raises for their shop S0001 and puts up for discussion at
 * `discussedAt` (a service matter, results shown live).
 */
export async function proposalUpForDiscussion(kit: TestKit, title: string, discussedAt: Date) {
  return (await shopOwnersProposal(kit, { category: "service", title }, discussedAt)).proposal;
}
