ALTER TABLE "bookings" ADD COLUMN "chat_seq" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "interrupted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "chat_messages" ADD COLUMN "seq" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "chat_messages_booking_seq_idx" ON "chat_messages" USING btree ("booking_id","seq");--> statement-breakpoint-- hand-written
-- Number the messages already stored, per stream in id order (they were committed long ago), and
-- leave each stream's counter at its last number.
UPDATE "chat_messages" AS m SET "seq" = n."seq"
FROM (SELECT "id", row_number() OVER (PARTITION BY "booking_id" ORDER BY "id") AS "seq" FROM "chat_messages") AS n
WHERE m."id" = n."id";--> statement-breakpoint
UPDATE "bookings" AS b SET "chat_seq" = c."last"
FROM (SELECT "booking_id", max("seq") AS "last" FROM "chat_messages" GROUP BY "booking_id") AS c
WHERE b."id" = c."booking_id";
