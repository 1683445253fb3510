CREATE TYPE "public"."water_report_kind" AS ENUM('daily', 'monthly', 'urgent');--> statement-breakpoint
CREATE TYPE "public"."water_report_level" AS ENUM('local', 'regional', 'national');--> statement-breakpoint
CREATE TABLE "water_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "water_report_kind" NOT NULL,
	"level" "water_report_level" NOT NULL,
	"region_id" uuid,
	"entity_id" uuid,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"trigger_alert_id" uuid,
	"generated_at" timestamp with time zone NOT NULL,
	"data" jsonb NOT NULL,
	"pdf_sha256" text NOT NULL,
	"pdf_size" integer NOT NULL,
	"xlsx_sha256" text NOT NULL,
	"xlsx_size" integer NOT NULL,
	"csv_sha256" text NOT NULL,
	"csv_size" integer NOT NULL,
	CONSTRAINT "water_reports_scope" CHECK (("water_reports"."level" = 'national' and "water_reports"."region_id" is null and "water_reports"."entity_id" is null)
        or ("water_reports"."level" = 'regional' and "water_reports"."region_id" is not null and "water_reports"."entity_id" is null)
        or ("water_reports"."level" = 'local' and "water_reports"."entity_id" is not null)),
	CONSTRAINT "water_reports_urgent_alert" CHECK (("water_reports"."kind" = 'urgent') = ("water_reports"."trigger_alert_id" is not null)),
	CONSTRAINT "water_reports_period" CHECK ("water_reports"."period_start" <= "water_reports"."period_end")
);
--> statement-breakpoint
ALTER TABLE "water_reports" ADD CONSTRAINT "water_reports_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "water_reports" ADD CONSTRAINT "water_reports_entity_id_water_entities_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."water_entities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "water_reports" ADD CONSTRAINT "water_reports_trigger_alert_id_water_alerts_id_fk" FOREIGN KEY ("trigger_alert_id") REFERENCES "public"."water_alerts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "water_reports_once_uq" ON "water_reports" USING btree ("kind","level",coalesce("region_id", '00000000-0000-0000-0000-000000000000'::uuid),coalesce("entity_id", '00000000-0000-0000-0000-000000000000'::uuid),"period_start","period_end",coalesce("trigger_alert_id", '00000000-0000-0000-0000-000000000000'::uuid));--> statement-breakpoint
CREATE INDEX "water_reports_list_idx" ON "water_reports" USING btree ("period_start","kind");--> statement-breakpoint
CREATE INDEX "water_reports_alert_idx" ON "water_reports" USING btree ("trigger_alert_id");