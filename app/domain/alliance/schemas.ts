import { z } from "zod";
import {
  electedOffices,
  followUpStatuses,
  proposalCategories,
  reportReasons,
  reportableKinds,
  resultVisibilities,
  voteChoices,
} from "../../../db/schema/enums";
import { PROPOSAL_LIMITS, VOTING_HOURS } from "./rules";

/** Message keys, not sentences (see accounts/schemas.ts). */
const text = (max: number, tooLong: string) =>
  z
    .string({ error: "errors.required" })
    .trim()
    .min(1, { error: "errors.required", abort: true })
    .max(max, { error: tooLong });

/** A `datetime-local` value is read as district time (Asia/Shanghai, UTC+8 all year). */
const districtDateTime = z.preprocess(
  (v) => (typeof v === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v) ? `${v}:00+08:00` : v),
  z.coerce.date({ error: "errors.invalid" }),
);

const id = z.coerce
  .number({ error: "errors.invalid" })
  .int({ error: "errors.invalid" })
  .positive({ error: "errors.invalid" })
  .max(2147483647, { error: "security.idInvalid" });

export const proposalSchema = z.object({
  businessId: id,
  category: z.enum(proposalCategories, { error: "errors.required" }),
  title: text(PROPOSAL_LIMITS.titleMax, "alliance.errors.titleTooLong"),
  body: text(PROPOSAL_LIMITS.bodyMax, "alliance.errors.bodyTooLong"),
  resultVisibility: z.enum(resultVisibilities, { error: "errors.required" }).default("live"),
  publish: z.enum(["draft", "discussion"]).default("discussion"),
});
export type ProposalInput = z.infer<typeof proposalSchema>;

export const proposalEditSchema = proposalSchema.pick({ title: true, body: true, category: true });

export const openVotingSchema = z.object({
  hours: z.coerce
    .number({ error: "errors.invalid" })
    .refine((h) => (VOTING_HOURS as readonly number[]).includes(h), { error: "errors.invalid" }),
});

export const voteSchema = z.object({ businessId: id, choice: z.enum(voteChoices, { error: "errors.required" }) });

export const commentSchema = z.object({
  body: text(PROPOSAL_LIMITS.commentMax, "alliance.errors.commentTooLong"),
  parentId: id.optional(),
});

export const followUpSchema = z.object({
  status: z.enum(followUpStatuses, { error: "errors.required" }),
  note: text(1000, "alliance.errors.bodyTooLong"),
});

export const announcementSchema = z.object({
  title: text(PROPOSAL_LIMITS.titleMax, "alliance.errors.titleTooLong"),
  body: text(PROPOSAL_LIMITS.bodyMax, "alliance.errors.bodyTooLong"),
  pinned: z.preprocess((v) => v === "on" || v === true || v === "true", z.boolean()).default(false),
});

export const reportSchema = z.object({
  kind: z.enum(reportableKinds, { error: "errors.invalid" }),
  subjectId: id,
  reason: z.enum(reportReasons, { error: "errors.required" }),
});

export const moderationSchema = z.object({
  kind: z.enum(reportableKinds, { error: "errors.invalid" }),
  subjectId: id,
  decision: z.enum(["hide", "restore"], { error: "errors.invalid" }),
  reason: text(200, "alliance.errors.reasonTooLong"),
});

export const nominationSchema = z.object({
  businessId: id,
  office: z.enum(electedOffices, { error: "errors.required" }),
  statement: text(1000, "alliance.errors.bodyTooLong"),
});

export const ballotSchema = z.object({
  businessId: id,
  president: id.optional(),
  vicePresidents: z.array(id).max(2, { error: "alliance.errors.tooManyChoices" }).default([]),
});

export const electionSchema = z.object({
  term: text(40, "alliance.errors.titleTooLong"),
  nominationOpensAt: districtDateTime,
  nominationClosesAt: districtDateTime,
  votingOpensAt: districtDateTime,
  votingClosesAt: districtDateTime,
});

export const electionEditSchema = electionSchema.extend({ reason: text(200, "alliance.errors.reasonTooLong") });

export const reasonSchema = z.object({ reason: text(200, "alliance.errors.reasonTooLong") });

export const settingsSchema = z.object({
  minDiscussionHours: z.coerce.number({ error: "alliance.errors.badSetting" }).int().min(0).max(720),
  electionQuorumPercent: z.coerce.number({ error: "alliance.errors.badSetting" }).int().min(1).max(100),
});

export const activitySchema = z.object({
  title: text(PROPOSAL_LIMITS.titleMax, "alliance.errors.titleTooLong"),
  body: text(PROPOSAL_LIMITS.bodyMax, "alliance.errors.bodyTooLong"),
  place: text(80, "alliance.errors.titleTooLong"),
  startsAt: districtDateTime,
  endsAt: districtDateTime,
  capacity: z.coerce.number().int().positive().max(100000).optional(),
});

export const signupSchema = z.object({ businessId: id });

/** Why an officer changes or cancels something members rely on; members are told this. */
const changeReason = text(200, "alliance.errors.reasonTooLong");

export const activityEditSchema = activitySchema.extend({ activityId: id, reason: changeReason });
export const activityCancelSchema = z.object({ activityId: id, reason: changeReason });
export const announcementEditSchema = z.object({
  announcementId: id,
  title: text(PROPOSAL_LIMITS.titleMax, "alliance.errors.titleTooLong"),
  body: text(PROPOSAL_LIMITS.bodyMax, "alliance.errors.bodyTooLong"),
  reason: changeReason,
});
export const announcementWithdrawSchema = z.object({ announcementId: id, reason: changeReason });
