CREATE SEQUENCE "public"."complaint_case_numbers" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "feedback_photos" (
	"id" serial PRIMARY KEY NOT NULL,
	"feedback_id" integer NOT NULL,
	"file_name" text NOT NULL,
	"mime_type" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "feedback" ADD COLUMN "case_number" text;--> statement-breakpoint
ALTER TABLE "feedback" ADD COLUMN "sent_to_merchant_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "feedback_photos" ADD CONSTRAINT "feedback_photos_feedback_id_feedback_id_fk" FOREIGN KEY ("feedback_id") REFERENCES "public"."feedback"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "feedback_photos_feedback_idx" ON "feedback_photos" USING btree ("feedback_id");--> statement-breakpoint
CREATE INDEX "feedback_author_idx" ON "feedback" USING btree ("author_id");--> statement-breakpoint
CREATE UNIQUE INDEX "feedback_case_number_uq" ON "feedback" USING btree ("case_number");--> statement-breakpoint
-- hand-written
-- Complaints filed before case numbers existed get one, oldest first (ADR 020).
UPDATE "feedback" f SET "case_number" = 'XQ-' || to_char(f."created_at" AT TIME ZONE 'Asia/Shanghai', 'YYYY') || '-' || lpad(o."rn"::text, 6, '0')
  FROM (SELECT "id", row_number() OVER (ORDER BY "id") AS "rn" FROM "feedback"
         WHERE "kind" = 'complaint' AND "business_id" IS NOT NULL AND "case_number" IS NULL) o
 WHERE f."id" = o."id";--> statement-breakpoint
SELECT setval('complaint_case_numbers', greatest(1, (SELECT count(*) FROM "feedback" WHERE "case_number" IS NOT NULL)),
              (SELECT count(*) > 0 FROM "feedback" WHERE "case_number" IS NOT NULL));--> statement-breakpoint
-- When the desk sent an item to its business: from the audit log where it says so; else, for an
-- item still waiting, its last change; else, for one the business answered, when it was filed.
UPDATE "feedback" f SET "sent_to_merchant_at" = a."at"
  FROM (SELECT "subject_id", min("at") AS "at" FROM "audit_log"
         WHERE "subject_type" = 'feedback' AND "action" = 'feedback.moved' AND "after"->>'status' = 'sent_to_merchant'
         GROUP BY "subject_id") a
 WHERE a."subject_id" = f."id"::text AND f."sent_to_merchant_at" IS NULL;--> statement-breakpoint
UPDATE "feedback" SET "sent_to_merchant_at" = "updated_at" WHERE "status" = 'sent_to_merchant' AND "sent_to_merchant_at" IS NULL;--> statement-breakpoint
UPDATE "feedback" f SET "sent_to_merchant_at" = f."created_at"
 WHERE f."sent_to_merchant_at" IS NULL AND f."replied_by" IS NOT NULL AND f."business_id" IS NOT NULL
   AND EXISTS (SELECT 1 FROM "business_members" m WHERE m."business_id" = f."business_id" AND m."user_id" = f."replied_by");
