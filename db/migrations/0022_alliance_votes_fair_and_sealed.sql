CREATE TABLE "alliance_ballot_box" (
	"id" text PRIMARY KEY NOT NULL,
	"election_id" integer NOT NULL,
	"sealed" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alliance_electorates" (
	"subject_kind" text NOT NULL,
	"subject_id" integer NOT NULL,
	"business_id" integer NOT NULL,
	CONSTRAINT "alliance_electorates_subject_kind_subject_id_business_id_pk" PRIMARY KEY("subject_kind","subject_id","business_id")
);
--> statement-breakpoint
CREATE TABLE "alliance_settings" (
	"id" smallint PRIMARY KEY NOT NULL,
	"min_discussion_hours" integer NOT NULL,
	"election_quorum_percent" smallint NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "alliance_elections" ADD COLUMN "member_count" integer;--> statement-breakpoint
ALTER TABLE "alliance_elections" ADD COLUMN "min_turnout" integer;--> statement-breakpoint
ALTER TABLE "alliance_elections" ADD COLUMN "cancelled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "alliance_elections" ADD COLUMN "cancel_reason" text;--> statement-breakpoint
ALTER TABLE "alliance_proposals" ADD COLUMN "discussion_opens_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "alliance_ballot_box" ADD CONSTRAINT "alliance_ballot_box_election_id_alliance_elections_id_fk" FOREIGN KEY ("election_id") REFERENCES "public"."alliance_elections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alliance_electorates" ADD CONSTRAINT "alliance_electorates_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alliance_settings" ADD CONSTRAINT "alliance_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alliance_ballot_box_election_idx" ON "alliance_ballot_box" USING btree ("election_id");--> statement-breakpoint
ALTER TABLE "alliance_candidates" ADD CONSTRAINT "alliance_candidates_one_person" UNIQUE("election_id","user_id");--> statement-breakpoint
-- hand-written
INSERT INTO "alliance_settings" ("id", "min_discussion_hours", "election_quorum_percent") VALUES (1, 24, 50) ON CONFLICT DO NOTHING;--> statement-breakpoint
UPDATE "alliance_proposals" SET "discussion_opens_at" = "created_at" WHERE "status" <> 'draft' AND "discussion_opens_at" IS NULL;
