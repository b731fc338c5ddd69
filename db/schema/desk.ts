import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  smallint,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { at, serialId, intRef, uploadedFile } from "./columns";
import { sql } from "drizzle-orm";
import { userRef } from "./references";
import { allianceProposals } from "./alliance";
import { businesses, microGrids } from "./directory";
import {
  disputeCategories,
  disputeEventKinds,
  disputeLevels,
  disputeOutcomes,
  disputeStatuses,
  feedbackFindings,
  feedbackKinds,
  feedbackSources,
  feedbackStatuses,
} from "./enums";

/**
 * A dispute between a filer and another party (a business or a person), mediated at the grid,
 * the alliance or the community level. `dueAt` is when it moves up a level by itself.
 */
export const disputes = pgTable(
  "disputes",
  {
    id: serialId(),
    category: text("category", { enum: disputeCategories }).notNull(),
    filerId: userRef("filer_id").notNull(),
    respondentBusinessId: integer("respondent_business_id").references(() => businesses.id),
    respondentUserId: userRef("respondent_user_id"),
    microGridId: intRef("micro_grid_id", () => microGrids.id),
    description: text("description").notNull(),
    level: text("level", { enum: disputeLevels }).notNull().default("grid"),
    status: text("status", { enum: disputeStatuses }).notNull().default("open"),
    outcome: text("outcome", { enum: disputeOutcomes }),
    assigneeId: userRef("assignee_id"),
    levelStartedAt: at("level_started_at").notNull(),
    dueAt: at("due_at"),
    agreementText: text("agreement_text"),
    filerConfirmedAt: at("filer_confirmed_at"),
    respondentConfirmedAt: at("respondent_confirmed_at"),
    respondentConfirmedBy: userRef("respondent_confirmed_by"),
    /** When the filer asked to withdraw (a mediator may close as withdrawn only after this). */
    withdrawalRequestedAt: at("withdrawal_requested_at"),
    closedAt: at("closed_at"),
    satisfaction: smallint("satisfaction"),
    satisfactionComment: text("satisfaction_comment"),
    createdAt: at("created_at").notNull(),
  },
  (t) => [
    index("disputes_due_idx").on(t.status, t.dueAt),
    index("disputes_business_idx").on(t.respondentBusinessId, t.createdAt),
    index("disputes_filer_idx").on(t.filerId),
    check("disputes_one_respondent", sql`(${t.respondentBusinessId} is null) <> (${t.respondentUserId} is null)`),
    check("disputes_satisfaction_range", sql`${t.satisfaction} is null or ${t.satisfaction} between 1 and 5`),
  ],
);

/** The dispute's timeline: notes, meetings, proposals, escalations, the agreement, closure. */
export const disputeEvents = pgTable(
  "dispute_events",
  {
    id: serialId(),
    disputeId: intRef("dispute_id", () => disputes.id),
    kind: text("kind", { enum: disputeEventKinds }).notNull(),
    authorId: userRef("author_id"),
    body: text("body").notNull().default(""),
    params: jsonb("params").$type<Record<string, string | number>>().notNull().default({}),
    createdAt: at("created_at").notNull(),
  },
  (t) => [index("dispute_events_dispute_idx").on(t.disputeId, t.createdAt)],
);

/** Photos the filer attached; files live under the data folder and are served only to those who may see the dispute. */
export const disputePhotos = pgTable(
  "dispute_photos",
  {
    id: serialId(),
    disputeId: intRef("dispute_id", () => disputes.id),
    ...uploadedFile(),
    createdAt: at("created_at").notNull(),
  },
  (t) => [index("dispute_photos_dispute_idx").on(t.disputeId)],
);

/**
 * Feedback from a shop page, a plaque's verify page, the live chat, a poll or the board.
 * `streamRef` names a live stream once the studio exists (no foreign key yet).
 */
export const feedback = pgTable(
  "feedback",
  {
    id: serialId(),
    source: text("source", { enum: feedbackSources }).notNull(),
    kind: text("kind", { enum: feedbackKinds }).notNull(),
    businessId: integer("business_id").references(() => businesses.id),
    streamRef: text("stream_ref"),
    authorId: userRef("author_id").notNull(),
    hideName: boolean("hide_name").notNull().default(false),
    body: text("body").notNull(),
    status: text("status", { enum: feedbackStatuses }).notNull().default("new"),
    reply: text("reply"),
    repliedBy: userRef("replied_by"),
    repliedAt: at("replied_at"),
    /** The desk's finding when it closes a complaint: upheld, or unfounded (never counted against the shop). */
    finding: text("finding", { enum: feedbackFindings }),
    disputeId: integer("dispute_id").references(() => disputes.id),
    proposalId: integer("proposal_id").references(() => allianceProposals.id),
    /** A complaint's public case number (XQ-2026-000123), which the filer follows at /cases (ADR 020). */
    caseNumber: text("case_number"),
    /** When the desk passed the item to the business (the start of the merchant's answer time). */
    sentToMerchantAt: at("sent_to_merchant_at"),
    createdAt: at("created_at").notNull(),
    updatedAt: at("updated_at").notNull(),
  },
  (t) => [
    index("feedback_status_idx").on(t.status, t.createdAt),
    index("feedback_business_idx").on(t.businessId, t.createdAt),
    index("feedback_author_idx").on(t.authorId),
    uniqueIndex("feedback_case_number_uq").on(t.caseNumber),
  ],
);

/** The serial part of complaint case numbers: one sequence, never reset, so numbers are never reused. */
export const complaintCaseNumbers = pgSequence("complaint_case_numbers", { startWith: 1 });

/** Photos a complaint's filer attached as evidence: seen by its filer and the desk (not the business's people). */
export const feedbackPhotos = pgTable(
  "feedback_photos",
  {
    id: serialId(),
    feedbackId: intRef("feedback_id", () => feedback.id),
    ...uploadedFile(),
    createdAt: at("created_at").notNull(),
  },
  (t) => [index("feedback_photos_feedback_idx").on(t.feedbackId)],
);
