/**
 * The fixed vocabularies of the schema, without drizzle imports, so browser code (forms, filters)
 * can share them without pulling the database layer into its bundle.
 */
export const locales = ["zh-CN", "en"] as const;
export type Locale = (typeof locales)[number];

export const officerRoles = ["president", "vice_president", "moderator"] as const;
export const staffRoles = ["admin", "mediator", "grid_worker"] as const;
export const roleNames = [...officerRoles, ...staffRoles] as const;
export type RoleName = (typeof roleNames)[number];

export const marketKinds = ["day", "night"] as const;
export type MarketKind = (typeof marketKinds)[number];

export const placeKinds = ["service_hall", "rest_stop", "library", "studio", "market"] as const;
export type PlaceKind = (typeof placeKinds)[number];

export const businessKinds = ["shop", "stall"] as const;
export type BusinessKind = (typeof businessKinds)[number];

export const businessStatuses = ["open", "closed"] as const;

export const memberRoles = ["owner", "staff"] as const;
export type MemberRole = (typeof memberRoles)[number];

export const plaqueKinds = ["recommended", "model_merchant"] as const;
export type PlaqueKind = (typeof plaqueKinds)[number];
/** The alliance's four shared matters (党建共抓、资源共享、服务共推、活动共办) and "other". */
export const proposalCategories = ["party_building", "resource_sharing", "service", "activity", "other"] as const;
export type ProposalCategory = (typeof proposalCategories)[number];
export const proposalStatuses = ["draft", "discussion", "voting", "adopted", "rejected"] as const;
export type ProposalStatus = (typeof proposalStatuses)[number];
export const voteChoices = ["support", "oppose", "abstain"] as const;
export type VoteChoice = (typeof voteChoices)[number];
export const resultVisibilities = ["live", "after_close"] as const;
export const followUpStatuses = ["planned", "in_progress", "done"] as const;
export type FollowUpStatus = (typeof followUpStatuses)[number];
export const reportReasons = ["spam", "offensive", "off_topic", "other"] as const;
export type ReportReason = (typeof reportReasons)[number];
export const reportableKinds = ["proposal", "comment", "announcement"] as const;
export type ReportableKind = (typeof reportableKinds)[number];
export const electedOffices = ["president", "vice_president"] as const;
export type ElectedOffice = (typeof electedOffices)[number];

export const rosterImportStatuses = ["pending", "applied", "discarded"] as const;
export type RosterImportStatus = (typeof rosterImportStatuses)[number];
export const bookingStatuses = ["confirmed", "cancelled"] as const;
export type BookingStatus = (typeof bookingStatuses)[number];
/** Feedback and disputes (the desk). */
export const feedbackSources = ["shop_page", "plaque", "live_chat", "poll", "board"] as const;
export type FeedbackSource = (typeof feedbackSources)[number];
export const feedbackKinds = ["suggestion", "complaint", "praise", "question"] as const;
export type FeedbackKind = (typeof feedbackKinds)[number];
export const feedbackStatuses = [
  "new",
  "triaged",
  "sent_to_merchant",
  "disputed",
  "proposed",
  "answered",
  "closed",
] as const;
export type FeedbackStatus = (typeof feedbackStatuses)[number];
/** The desk's finding on a closed complaint. */
export const feedbackFindings = ["upheld", "unfounded"] as const;
export type FeedbackFinding = (typeof feedbackFindings)[number];
export const disputeCategories = ["stall_boundary", "neighbours", "facilities", "goods_prices", "other"] as const;
export type DisputeCategory = (typeof disputeCategories)[number];
export const disputeLevels = ["grid", "alliance", "community"] as const;
export type DisputeLevel = (typeof disputeLevels)[number];
export const disputeStatuses = ["open", "agreement_pending", "closed"] as const;
export type DisputeStatus = (typeof disputeStatuses)[number];
export const disputeOutcomes = ["resolved", "withdrawn", "unresolvable"] as const;
export type DisputeOutcome = (typeof disputeOutcomes)[number];
export const disputeEventKinds = [
  "filed",
  "assigned",
  "note",
  "meeting",
  "proposal",
  "escalated",
  "agreement",
  "confirmed",
  "closed",
  "rated",
  "withdrawal_requested",
] as const;
export type DisputeEventKind = (typeof disputeEventKinds)[number];

/** An order's place on the merchant's board; `awaiting_payment` is a Stripe order not yet paid. */
export const orderStatuses = ["awaiting_payment", "new", "ready", "picked_up", "cancelled"] as const;
export type OrderStatus = (typeof orderStatuses)[number];

/** `stripe`: paid online through Stripe Checkout; `at_pickup`: reserved, paid at the counter. */
export const paymentMethods = ["stripe", "at_pickup"] as const;
export type PaymentMethod = (typeof paymentMethods)[number];

export const paymentStatuses = ["unpaid", "paid", "failed", "refunded"] as const;
export type PaymentStatus = (typeof paymentStatuses)[number];
/** A live chat message: plain chat, or a viewer's suggestion, complaint or question (for the desk). */
export const chatMessageKinds = ["chat", "suggestion", "complaint", "question"] as const;
export type ChatMessageKind = (typeof chatMessageKinds)[number];

/**
 * A plaque nomination: waiting for the reviewer, recommended (the reviewer would award; a second
 * staff member must confirm), awarded (a plaque was made), or declined.
 */
export const nominationStatuses = ["open", "recommended", "awarded", "declined"] as const;
export type NominationStatus = (typeof nominationStatuses)[number];
/** In which capacity someone nominated: alliance officer, community staff, or the business itself. */
export const nominatorCapacities = ["officer", "staff", "merchant"] as const;
export type NominatorCapacity = (typeof nominatorCapacities)[number];
