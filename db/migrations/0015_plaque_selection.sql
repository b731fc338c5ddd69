CREATE TABLE "plaque_nominations" (
	"id" serial PRIMARY KEY NOT NULL,
	"round_id" integer NOT NULL,
	"business_id" integer NOT NULL,
	"nominated_by" text,
	"capacity" text NOT NULL,
	"reason" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"review_comment" text,
	"reviewed_by" text,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plaque_rounds" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"year" smallint NOT NULL,
	"criteria" text NOT NULL,
	"nomination_opens_at" timestamp with time zone NOT NULL,
	"nomination_closes_at" timestamp with time zone NOT NULL,
	"review_opens_at" timestamp with time zone NOT NULL,
	"review_closes_at" timestamp with time zone NOT NULL,
	"opened_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "plaque_rounds_windows" CHECK ("plaque_rounds"."nomination_opens_at" < "plaque_rounds"."nomination_closes_at" and "plaque_rounds"."review_opens_at" < "plaque_rounds"."review_closes_at" and "plaque_rounds"."nomination_opens_at" <= "plaque_rounds"."review_opens_at" and "plaque_rounds"."nomination_closes_at" <= "plaque_rounds"."review_closes_at")
);
--> statement-breakpoint
ALTER TABLE "awards" ADD COLUMN "round_id" integer;--> statement-breakpoint
ALTER TABLE "awards" ADD COLUMN "nomination_id" integer;--> statement-breakpoint
ALTER TABLE "plaque_nominations" ADD CONSTRAINT "plaque_nominations_round_id_plaque_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."plaque_rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plaque_nominations" ADD CONSTRAINT "plaque_nominations_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plaque_nominations" ADD CONSTRAINT "plaque_nominations_nominated_by_users_id_fk" FOREIGN KEY ("nominated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plaque_nominations" ADD CONSTRAINT "plaque_nominations_reviewed_by_users_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plaque_rounds" ADD CONSTRAINT "plaque_rounds_opened_by_users_id_fk" FOREIGN KEY ("opened_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "plaque_nominations_round_business_uq" ON "plaque_nominations" USING btree ("round_id","business_id");--> statement-breakpoint
CREATE INDEX "plaque_nominations_business_idx" ON "plaque_nominations" USING btree ("business_id");--> statement-breakpoint
CREATE UNIQUE INDEX "plaque_rounds_kind_year_uq" ON "plaque_rounds" USING btree ("kind","year");--> statement-breakpoint
ALTER TABLE "awards" ADD CONSTRAINT "awards_round_id_plaque_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."plaque_rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "awards" ADD CONSTRAINT "awards_nomination_id_plaque_nominations_id_fk" FOREIGN KEY ("nomination_id") REFERENCES "public"."plaque_nominations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "awards_nomination_uq" ON "awards" USING btree ("nomination_id");--> statement-breakpoint
CREATE INDEX "awards_round_idx" ON "awards" USING btree ("round_id");