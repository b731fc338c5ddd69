-- Custom SQL migration file, put your code below! --
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_ends_after_starts" CHECK ("ends_at" > "starts_at");
--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "slot" tstzrange GENERATED ALWAYS AS (tstzrange("starts_at", "ends_at", '[)')) STORED;
--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_no_overlap" EXCLUDE USING gist ("studio_id" WITH =, "slot" WITH &&) WHERE ("status" = 'confirmed');
