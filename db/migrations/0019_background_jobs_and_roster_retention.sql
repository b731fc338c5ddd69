CREATE TABLE "job_runs" (
	"name" text PRIMARY KEY NOT NULL,
	"running_since" timestamp with time zone,
	"running_by" text,
	"last_started_at" timestamp with time zone,
	"last_finished_at" timestamp with time zone,
	"last_outcome" text,
	"last_changed" integer,
	"last_detail" jsonb,
	"last_error" text,
	"last_failed_at" timestamp with time zone,
	"last_change_at" timestamp with time zone,
	"last_change_count" integer,
	"last_change_detail" jsonb,
	"runs" integer DEFAULT 0 NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "roster_imports" ADD COLUMN "notes" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "roster_imports" ADD COLUMN "purged_at" timestamp with time zone;