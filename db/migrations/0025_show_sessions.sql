ALTER TABLE "bookings" ADD COLUMN "end_reason" text;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "encoder_client" text;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "encoder_seen_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "replay_removed_at" timestamp with time zone;