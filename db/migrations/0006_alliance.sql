CREATE TABLE "alliance_activities" (
	"id" serial PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"place" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"capacity" integer,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alliance_activity_signups" (
	"activity_id" integer NOT NULL,
	"business_id" integer NOT NULL,
	"user_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "alliance_activity_signups_activity_id_business_id_pk" PRIMARY KEY("activity_id","business_id")
);
--> statement-breakpoint
CREATE TABLE "alliance_announcements" (
	"id" serial PRIMARY KEY NOT NULL,
	"author_id" text,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"pinned" boolean DEFAULT false NOT NULL,
	"hidden_at" timestamp with time zone,
	"hidden_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alliance_ballot_participation" (
	"election_id" integer NOT NULL,
	"business_id" integer NOT NULL,
	CONSTRAINT "alliance_ballot_participation_election_id_business_id_pk" PRIMARY KEY("election_id","business_id")
);
--> statement-breakpoint
CREATE TABLE "alliance_ballots" (
	"id" text PRIMARY KEY NOT NULL,
	"election_id" integer NOT NULL,
	"receipt_hash" text NOT NULL,
	"choices" jsonb NOT NULL,
	CONSTRAINT "alliance_ballots_receipt_hash_unique" UNIQUE("receipt_hash")
);
--> statement-breakpoint
CREATE TABLE "alliance_candidates" (
	"id" serial PRIMARY KEY NOT NULL,
	"election_id" integer NOT NULL,
	"office" text NOT NULL,
	"business_id" integer NOT NULL,
	"user_id" text NOT NULL,
	"statement" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "alliance_candidates_once" UNIQUE("election_id","business_id")
);
--> statement-breakpoint
CREATE TABLE "alliance_comments" (
	"id" serial PRIMARY KEY NOT NULL,
	"proposal_id" integer NOT NULL,
	"parent_id" integer,
	"author_id" text NOT NULL,
	"body" text NOT NULL,
	"hidden_at" timestamp with time zone,
	"hidden_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alliance_elections" (
	"id" serial PRIMARY KEY NOT NULL,
	"term" text NOT NULL,
	"nomination_opens_at" timestamp with time zone NOT NULL,
	"nomination_closes_at" timestamp with time zone NOT NULL,
	"voting_opens_at" timestamp with time zone NOT NULL,
	"voting_closes_at" timestamp with time zone NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finalized_at" timestamp with time zone,
	"results" jsonb
);
--> statement-breakpoint
CREATE TABLE "alliance_follow_ups" (
	"id" serial PRIMARY KEY NOT NULL,
	"proposal_id" integer NOT NULL,
	"status" text NOT NULL,
	"note" text NOT NULL,
	"author_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alliance_proposals" (
	"id" serial PRIMARY KEY NOT NULL,
	"business_id" integer NOT NULL,
	"author_id" text NOT NULL,
	"category" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"result_visibility" text DEFAULT 'live' NOT NULL,
	"voting_opens_at" timestamp with time zone,
	"voting_closes_at" timestamp with time zone,
	"member_count" integer,
	"quorum" integer,
	"support_percent" smallint,
	"support_count" integer,
	"oppose_count" integer,
	"abstain_count" integer,
	"decided_at" timestamp with time zone,
	"follow_up_status" text,
	"hidden_at" timestamp with time zone,
	"hidden_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alliance_reports" (
	"id" serial PRIMARY KEY NOT NULL,
	"subject_kind" text NOT NULL,
	"subject_id" integer NOT NULL,
	"reporter_id" text NOT NULL,
	"reason" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	CONSTRAINT "alliance_reports_once" UNIQUE("subject_kind","subject_id","reporter_id")
);
--> statement-breakpoint
CREATE TABLE "alliance_votes" (
	"proposal_id" integer NOT NULL,
	"business_id" integer NOT NULL,
	"cast_by" text NOT NULL,
	"choice" text NOT NULL,
	"cast_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "alliance_votes_proposal_id_business_id_pk" PRIMARY KEY("proposal_id","business_id")
);
--> statement-breakpoint
ALTER TABLE "alliance_activities" ADD CONSTRAINT "alliance_activities_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alliance_activity_signups" ADD CONSTRAINT "alliance_activity_signups_activity_id_alliance_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."alliance_activities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alliance_activity_signups" ADD CONSTRAINT "alliance_activity_signups_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alliance_activity_signups" ADD CONSTRAINT "alliance_activity_signups_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alliance_announcements" ADD CONSTRAINT "alliance_announcements_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alliance_ballot_participation" ADD CONSTRAINT "alliance_ballot_participation_election_id_alliance_elections_id_fk" FOREIGN KEY ("election_id") REFERENCES "public"."alliance_elections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alliance_ballot_participation" ADD CONSTRAINT "alliance_ballot_participation_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alliance_ballots" ADD CONSTRAINT "alliance_ballots_election_id_alliance_elections_id_fk" FOREIGN KEY ("election_id") REFERENCES "public"."alliance_elections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alliance_candidates" ADD CONSTRAINT "alliance_candidates_election_id_alliance_elections_id_fk" FOREIGN KEY ("election_id") REFERENCES "public"."alliance_elections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alliance_candidates" ADD CONSTRAINT "alliance_candidates_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alliance_candidates" ADD CONSTRAINT "alliance_candidates_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alliance_comments" ADD CONSTRAINT "alliance_comments_proposal_id_alliance_proposals_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."alliance_proposals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alliance_comments" ADD CONSTRAINT "alliance_comments_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alliance_elections" ADD CONSTRAINT "alliance_elections_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alliance_follow_ups" ADD CONSTRAINT "alliance_follow_ups_proposal_id_alliance_proposals_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."alliance_proposals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alliance_follow_ups" ADD CONSTRAINT "alliance_follow_ups_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alliance_proposals" ADD CONSTRAINT "alliance_proposals_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alliance_proposals" ADD CONSTRAINT "alliance_proposals_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alliance_reports" ADD CONSTRAINT "alliance_reports_reporter_id_users_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alliance_votes" ADD CONSTRAINT "alliance_votes_proposal_id_alliance_proposals_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."alliance_proposals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alliance_votes" ADD CONSTRAINT "alliance_votes_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alliance_votes" ADD CONSTRAINT "alliance_votes_cast_by_users_id_fk" FOREIGN KEY ("cast_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alliance_activities_starts_idx" ON "alliance_activities" USING btree ("starts_at");--> statement-breakpoint
CREATE INDEX "alliance_ballots_election_idx" ON "alliance_ballots" USING btree ("election_id");--> statement-breakpoint
CREATE INDEX "alliance_comments_proposal_idx" ON "alliance_comments" USING btree ("proposal_id","created_at");--> statement-breakpoint
CREATE INDEX "alliance_follow_ups_proposal_idx" ON "alliance_follow_ups" USING btree ("proposal_id");--> statement-breakpoint
CREATE INDEX "alliance_proposals_status_idx" ON "alliance_proposals" USING btree ("status","voting_closes_at");--> statement-breakpoint
CREATE INDEX "alliance_proposals_created_idx" ON "alliance_proposals" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "alliance_reports_open_idx" ON "alliance_reports" USING btree ("subject_kind","subject_id","resolved_at");