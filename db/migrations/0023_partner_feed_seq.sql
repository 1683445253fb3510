ALTER TABLE "application_events" ADD COLUMN "feed_seq" bigint;--> statement-breakpoint
CREATE UNIQUE INDEX "application_events_feed_seq_idx" ON "application_events" USING btree ("feed_seq");--> statement-breakpoint
CREATE INDEX "application_events_unsequenced_idx" ON "application_events" USING btree ("id") WHERE "application_events"."feed_seq" is null;