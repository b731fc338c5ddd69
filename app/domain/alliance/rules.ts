/**
 * The alliance's counting rules and text similarity, without database imports, so unit tests and
 * browser code can use them.
 */
import type { VoteChoice } from "../../../db/schema/enums";

/** The rule copied onto a proposal when its voting opens. */
export const ALLIANCE_RULE = {
  /** Share of member businesses that must take part (support, oppose or abstain), in percent. */
  quorumPercent: 50,
  /** Support must be MORE than this share of support + oppose, in percent (a tie is rejected). */
  supportPercent: 50,
} as const;

export const PROPOSAL_LIMITS = { titleMax: 60, bodyMax: 4000, commentMax: 1000 } as const;
export const VOTING_HOURS = [24, 72, 168] as const;

/** The number of businesses that makes a quorum among `memberCount` members (at least one). */
export function quorumFor(memberCount: number, quorumPercent: number = ALLIANCE_RULE.quorumPercent): number {
  return Math.max(1, Math.ceil((memberCount * quorumPercent) / 100));
}

export interface Tally {
  support: number;
  oppose: number;
  abstain: number;
}

export function tallyOf(choices: readonly VoteChoice[]): Tally {
  const tally: Tally = { support: 0, oppose: 0, abstain: 0 };
  for (const choice of choices) tally[choice] += 1;
  return tally;
}

/**
 * Adopted when enough businesses took part (turnout >= quorum; abstaining counts toward it) and
 * support is strictly more than `supportPercent` of support + oppose.
 */
export function outcomeOf(tally: Tally, rule: { quorum: number; supportPercent: number }) {
  const turnout = tally.support + tally.oppose + tally.abstain;
  const quorumReached = turnout >= rule.quorum;
  const decisive = tally.support + tally.oppose;
  const majority = decisive > 0 && tally.support * 100 > rule.supportPercent * decisive;
  return { turnout, quorumReached, majority, adopted: quorumReached && majority };
}

/** Character bigrams of a title: CJK characters pair up; latin words and digits count as one token each. */
export function bigramsOf(text: string): Set<string> {
  const grams = new Set<string>();
  const normalized = text.normalize("NFKC").toLowerCase();
  for (const run of normalized.match(/\p{Script=Han}+|(?:(?!\p{Script=Han})[\p{L}\p{N}])+/gu) ?? []) {
    if (/\p{Script=Han}/u.test(run)) {
      if (run.length === 1) grams.add(run);
      for (let i = 0; i + 1 < run.length; i++) grams.add(run.slice(i, i + 2));
    } else {
      grams.add(run);
    }
  }
  return grams;
}

/** Dice coefficient of two titles' bigrams, 0..1. "拉面馆" and "兰州拉面馆" score 0.67. */
export function titleSimilarity(a: string, b: string): number {
  const x = bigramsOf(a);
  const y = bigramsOf(b);
  if (x.size === 0 || y.size === 0) return 0;
  let shared = 0;
  for (const gram of x) if (y.has(gram)) shared += 1;
  return (2 * shared) / (x.size + y.size);
}

export const SIMILARITY_THRESHOLD = 0.3;
