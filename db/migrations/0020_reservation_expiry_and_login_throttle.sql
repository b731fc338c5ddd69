ALTER TABLE "login_attempts" ADD COLUMN "ip" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "reserved_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "pickup_code_failures" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "login_attempts_ip_at_idx" ON "login_attempts" USING btree ("ip","at");--> statement-breakpoint
CREATE INDEX "orders_reserved_until_idx" ON "orders" USING btree ("reserved_until");--> statement-breakpoint
-- hand-written
-- Open pay-at-pickup reservations made before expiry existed get the default 48 hours from now.
UPDATE "orders" SET "reserved_until" = now() + interval '48 hours'
  WHERE "payment_method" = 'at_pickup' AND "payment_status" = 'unpaid' AND "status" IN ('new', 'ready');
