import { boolean, index, integer, jsonb, pgTable, primaryKey, smallint, text, unique } from "drizzle-orm/pg-core";
import { at, createdAt, updatedAt, serialId, intRef } from "./columns";
import { userRef } from "./references";
import { businesses } from "./directory";
import {
  electedOffices,
  followUpStatuses,
  proposalCategories,
  proposalStatuses,
  reportReasons,
  reportableKinds,
  resultVisibilities,
  voteChoices,
} from "./enums";

/**
 * A matter a member business raises. The counting rule (quorum, support share, member count) is
 * copied onto the row when voting opens, so later changes to the alliance's rules cannot move it.
 */
export const allianceProposals = pgTable(
  "alliance_proposals",
  {
    id: serialId(),
    businessId: intRef("business_id", () => businesses.id),
    authorId: userRef("author_id").notNull(),
    category: text("category", { enum: proposalCategories }).notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    status: text("status", { enum: proposalStatuses }).notNull().default("draft"),
    resultVisibility: text("result_visibility", { enum: resultVisibilities }).notNull().default("live"),
    votingOpensAt: at("voting_opens_at"),
    votingClosesAt: at("voting_closes_at"),
    memberCount: integer("member_count"),
    quorum: integer("quorum"),
    supportPercent: smallint("support_percent"),
    supportCount: integer("support_count"),
    opposeCount: integer("oppose_count"),
    abstainCount: integer("abstain_count"),
    decidedAt: at("decided_at"),
    followUpStatus: text("follow_up_status", { enum: followUpStatuses }),
    hiddenAt: at("hidden_at"),
    hiddenReason: text("hidden_reason"),
    /** When the proposal went up for discussion; voting may open only after the minimum discussion period. */
    discussionOpensAt: at("discussion_opens_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("alliance_proposals_status_idx").on(t.status, t.votingClosesAt),
    index("alliance_proposals_created_idx").on(t.createdAt),
  ],
);

/** One vote per business per proposal; a later vote replaces the earlier one until the window closes. */
export const allianceVotes = pgTable(
  "alliance_votes",
  {
    proposalId: intRef("proposal_id", () => allianceProposals.id),
    businessId: intRef("business_id", () => businesses.id),
    castBy: userRef("cast_by").notNull(),
    choice: text("choice", { enum: voteChoices }).notNull(),
    castAt: at("cast_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.proposalId, t.businessId] })],
);

/** What came of an adopted proposal: dated notes, each moving it to planned, in progress or done. */
export const allianceFollowUps = pgTable(
  "alliance_follow_ups",
  {
    id: serialId(),
    proposalId: intRef("proposal_id", () => allianceProposals.id),
    status: text("status", { enum: followUpStatuses }).notNull(),
    note: text("note").notNull(),
    authorId: userRef("author_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("alliance_follow_ups_proposal_idx").on(t.proposalId)],
);

/** Comments on proposals, with one level of replies (`parentId` names a top-level comment). */
export const allianceComments = pgTable(
  "alliance_comments",
  {
    id: serialId(),
    proposalId: intRef("proposal_id", () => allianceProposals.id),
    parentId: integer("parent_id"),
    authorId: userRef("author_id").notNull(),
    body: text("body").notNull(),
    hiddenAt: at("hidden_at"),
    hiddenReason: text("hidden_reason"),
    createdAt: createdAt(),
  },
  (t) => [index("alliance_comments_proposal_idx").on(t.proposalId, t.createdAt)],
);

/** Announcements by officers and staff; `authorId` is null for the community's own (system) notices. */
export const allianceAnnouncements = pgTable("alliance_announcements", {
  id: serialId(),
  authorId: userRef("author_id"),
  title: text("title").notNull(),
  body: text("body").notNull(),
  pinned: boolean("pinned").notNull().default(false),
  hiddenAt: at("hidden_at"),
  hiddenReason: text("hidden_reason"),
  createdAt: createdAt(),
  /**
   * A system announcement stored as parts (a key under alliance.system in app/i18n and its
   * parameters), rendered in each reader's language; title and body hold the Chinese text as well.
   */
  messageKey: text("message_key"),
  messageParams: jsonb("message_params").$type<Record<string, string | number>>(),
  /** Set when an officer corrects it; the reason is shown and members are told. */
  editedAt: at("edited_at"),
  editReason: text("edit_reason"),
  /** Set when an officer withdraws it; it stays listed as withdrawn, with the reason. */
  withdrawnAt: at("withdrawn_at"),
  withdrawnReason: text("withdrawn_reason"),
});

/** One report per reporter per post; open reports (unresolved) count toward hiding it. */
export const allianceReports = pgTable(
  "alliance_reports",
  {
    id: serialId(),
    subjectKind: text("subject_kind", { enum: reportableKinds }).notNull(),
    subjectId: integer("subject_id").notNull(),
    reporterId: userRef("reporter_id").notNull(),
    reason: text("reason", { enum: reportReasons }).notNull(),
    note: text("note").notNull().default(""),
    createdAt: createdAt(),
    resolvedAt: at("resolved_at"),
  },
  (t) => [
    unique("alliance_reports_once").on(t.subjectKind, t.subjectId, t.reporterId),
    index("alliance_reports_open_idx").on(t.subjectKind, t.subjectId, t.resolvedAt),
  ],
);

/** An election of the president and the two vice-presidents for one term. */
export const allianceElections = pgTable("alliance_elections", {
  id: serialId(),
  term: text("term").notNull(),
  nominationOpensAt: at("nomination_opens_at").notNull(),
  nominationClosesAt: at("nomination_closes_at").notNull(),
  votingOpensAt: at("voting_opens_at").notNull(),
  votingClosesAt: at("voting_closes_at").notNull(),
  createdBy: userRef("created_by"),
  createdAt: createdAt(),
  /** Set once, when the results are counted and the officer roles handed over. */
  finalizedAt: at("finalized_at"),
  results: jsonb("results").$type<ElectionResults>(),
  /** Fixed when voting opens: the member businesses then (see alliance_electorates) and the turnout needed. */
  memberCount: integer("member_count"),
  minTurnout: integer("min_turnout"),
  /** Cancelled before voting opened, with the reason the members were told. */
  cancelledAt: at("cancelled_at"),
  cancelReason: text("cancel_reason"),
});

export interface ElectionResults {
  ballots: number;
  /** Blank ballots (formal abstentions): part of `ballots`, so they count toward the turnout. */
  blank?: number;
  /** The turnout needed; when `ballots` is below it nobody is elected and the holders stay. */
  minTurnout?: number;
  turnoutReached?: boolean;
  tallies: { candidateId: number; office: "president" | "vice_president"; votes: number }[];
  winners: { candidateId: number; office: "president" | "vice_president"; userId: string }[];
}

/** A business standing for one office; one candidacy per business per election. */
export const allianceCandidates = pgTable(
  "alliance_candidates",
  {
    id: serialId(),
    electionId: intRef("election_id", () => allianceElections.id),
    office: text("office", { enum: electedOffices }).notNull(),
    businessId: intRef("business_id", () => businesses.id),
    userId: userRef("user_id").notNull(),
    statement: text("statement").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    unique("alliance_candidates_once").on(t.electionId, t.businessId),
    // One person stands for one office per election, whichever of their businesses they stand for.
    unique("alliance_candidates_one_person").on(t.electionId, t.userId),
  ],
);

/**
 * Counted secret ballots. Deliberately no voter, no business, no timestamp and no sequential id: the
 * rows are written only when the election is counted, all in one transaction, in random order, from
 * the sealed ballot box (docs/decisions/014-ballots-sealed-until-the-count.md).
 */
export const allianceBallots = pgTable(
  "alliance_ballots",
  {
    id: text("id").primaryKey(),
    electionId: intRef("election_id", () => allianceElections.id),
    /** sha256 of the receipt the voter keeps; lets the voter check the ballot was counted. */
    receiptHash: text("receipt_hash").notNull().unique(),
    choices: jsonb("choices").$type<{ president: number | null; vicePresidents: number[] }>().notNull(),
  },
  (t) => [index("alliance_ballots_election_idx").on(t.electionId)],
);

/**
 * The ballot box while voting is open: each ballot sealed (AES-256-GCM, fixed length) under a key
 * the database never holds, written in the same transaction as the participation row. Emptied, and
 * the table rewritten, when the election is counted (docs/decisions/014).
 */
export const allianceBallotBox = pgTable(
  "alliance_ballot_box",
  {
    id: text("id").primaryKey(),
    electionId: intRef("election_id", () => allianceElections.id),
    sealed: text("sealed").notNull(),
  },
  (t) => [index("alliance_ballot_box_election_idx").on(t.electionId)],
);

/**
 * The member businesses that may vote on a proposal or in an election: the open businesses with an
 * owner when its voting opened. A business that joins later votes only in later windows.
 */
export const allianceElectorates = pgTable(
  "alliance_electorates",
  {
    subjectKind: text("subject_kind", { enum: ["proposal", "election"] }).notNull(),
    subjectId: integer("subject_id").notNull(),
    businessId: intRef("business_id", () => businesses.id),
  },
  (t) => [primaryKey({ columns: [t.subjectKind, t.subjectId, t.businessId] })],
);

/** The alliance's rules that administrators set; one row (id 1). */
export const allianceSettings = pgTable("alliance_settings", {
  id: smallint("id").primaryKey(),
  /** Hours a proposal must be up for discussion before its voting may open. */
  minDiscussionHours: integer("min_discussion_hours").notNull(),
  /** Share of the member businesses that must cast a ballot (blank included) for an election to elect. */
  electionQuorumPercent: smallint("election_quorum_percent").notNull(),
  updatedBy: userRef("updated_by"),
  updatedAt: at("updated_at"),
});

/** Who has voted (one row per business), written with the sealed ballot; no timestamp. */
export const allianceBallotParticipation = pgTable(
  "alliance_ballot_participation",
  {
    electionId: intRef("election_id", () => allianceElections.id),
    businessId: intRef("business_id", () => businesses.id),
  },
  (t) => [primaryKey({ columns: [t.electionId, t.businessId] })],
);

/** Joint activities (活动共办) on the alliance calendar. */
export const allianceActivities = pgTable(
  "alliance_activities",
  {
    id: serialId(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    place: text("place").notNull(),
    startsAt: at("starts_at").notNull(),
    endsAt: at("ends_at").notNull(),
    capacity: integer("capacity"),
    createdBy: userRef("created_by"),
    createdAt: createdAt(),
    /** The last change an officer made before it started, and why (signed-up members are told). */
    editedAt: at("edited_at"),
    editReason: text("edit_reason"),
    /** Cancelled before it started; it stays listed as cancelled, with the reason. */
    cancelledAt: at("cancelled_at"),
    cancelReason: text("cancel_reason"),
  },
  (t) => [index("alliance_activities_starts_idx").on(t.startsAt)],
);

export const allianceActivitySignups = pgTable(
  "alliance_activity_signups",
  {
    activityId: intRef("activity_id", () => allianceActivities.id),
    businessId: intRef("business_id", () => businesses.id),
    userId: userRef("user_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.activityId, t.businessId] })],
);
