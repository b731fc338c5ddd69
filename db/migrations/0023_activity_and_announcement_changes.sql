ALTER TABLE "alliance_activities" ADD COLUMN "edited_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "alliance_activities" ADD COLUMN "edit_reason" text;--> statement-breakpoint
ALTER TABLE "alliance_activities" ADD COLUMN "cancelled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "alliance_activities" ADD COLUMN "cancel_reason" text;--> statement-breakpoint
ALTER TABLE "alliance_announcements" ADD COLUMN "message_key" text;--> statement-breakpoint
ALTER TABLE "alliance_announcements" ADD COLUMN "message_params" jsonb;--> statement-breakpoint
ALTER TABLE "alliance_announcements" ADD COLUMN "edited_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "alliance_announcements" ADD COLUMN "edit_reason" text;--> statement-breakpoint
ALTER TABLE "alliance_announcements" ADD COLUMN "withdrawn_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "alliance_announcements" ADD COLUMN "withdrawn_reason" text;