ALTER TABLE "plaque_nominations" ADD COLUMN "confirmed_by" text;--> statement-breakpoint
ALTER TABLE "plaque_nominations" ADD COLUMN "confirm_comment" text;--> statement-breakpoint
ALTER TABLE "plaque_nominations" ADD COLUMN "confirmed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "disputes" ADD COLUMN "withdrawal_requested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "feedback" ADD COLUMN "finding" text;--> statement-breakpoint
ALTER TABLE "plaque_nominations" ADD CONSTRAINT "plaque_nominations_confirmed_by_users_id_fk" FOREIGN KEY ("confirmed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;