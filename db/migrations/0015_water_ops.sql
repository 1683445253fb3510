CREATE TYPE "public"."water_alert_severity" AS ENUM('info', 'warning', 'critical');--> statement-breakpoint
CREATE TYPE "public"."water_alert_status" AS ENUM('open', 'acknowledged', 'cleared');--> statement-breakpoint
CREATE TYPE "public"."water_scope_level" AS ENUM('national', 'region', 'entity');--> statement-breakpoint
CREATE TABLE "feedback" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"service" text NOT NULL,
	"rating" smallint NOT NULL,
	"comment" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "feedback_rating_range" CHECK ("feedback"."rating" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE "reading_corrections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"device_id" uuid NOT NULL,
	"metric" text NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"original_value" double precision NOT NULL,
	"corrected_value" double precision NOT NULL,
	"reason" text NOT NULL,
	"author_user_id" uuid NOT NULL,
	"signature_id" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "water_alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"type" text NOT NULL,
	"object_id" uuid NOT NULL,
	"device_id" uuid,
	"severity" "water_alert_severity" NOT NULL,
	"status" "water_alert_status" DEFAULT 'open' NOT NULL,
	"first_seen" timestamp with time zone NOT NULL,
	"last_seen" timestamp with time zone NOT NULL,
	"count" integer DEFAULT 1 NOT NULL,
	"value" double precision,
	"limit" double precision,
	"message_key" text NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"escalation_level" integer DEFAULT 0 NOT NULL,
	"escalated_at" timestamp with time zone,
	"acknowledged_by" uuid,
	"acknowledged_at" timestamp with time zone,
	"cleared_by" uuid,
	"cleared_at" timestamp with time zone,
	"note" text,
	"recommendations" jsonb
);
--> statement-breakpoint
CREATE TABLE "water_figures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"entity_id" uuid NOT NULL,
	"period" date NOT NULL,
	"version" integer NOT NULL,
	"production_m_3" double precision NOT NULL,
	"supply_m_3" double precision NOT NULL,
	"distribution_m_3" double precision NOT NULL,
	"consumption_m_3" double precision NOT NULL,
	"signature_id" uuid NOT NULL,
	"submitted_by" uuid NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "water_user_scopes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"level" "water_scope_level" NOT NULL,
	"region_id" uuid,
	"entity_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "water_user_scopes_target" CHECK (("water_user_scopes"."level" = 'national' and "water_user_scopes"."region_id" is null and "water_user_scopes"."entity_id" is null)
        or ("water_user_scopes"."level" = 'region' and "water_user_scopes"."region_id" is not null and "water_user_scopes"."entity_id" is null)
        or ("water_user_scopes"."level" = 'entity' and "water_user_scopes"."entity_id" is not null))
);
--> statement-breakpoint
ALTER TABLE "feedback" ADD CONSTRAINT "feedback_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reading_corrections" ADD CONSTRAINT "reading_corrections_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reading_corrections" ADD CONSTRAINT "reading_corrections_author_user_id_users_id_fk" FOREIGN KEY ("author_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "water_alerts" ADD CONSTRAINT "water_alerts_object_id_water_objects_id_fk" FOREIGN KEY ("object_id") REFERENCES "public"."water_objects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "water_alerts" ADD CONSTRAINT "water_alerts_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "water_alerts" ADD CONSTRAINT "water_alerts_acknowledged_by_users_id_fk" FOREIGN KEY ("acknowledged_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "water_alerts" ADD CONSTRAINT "water_alerts_cleared_by_users_id_fk" FOREIGN KEY ("cleared_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "water_figures" ADD CONSTRAINT "water_figures_entity_id_water_entities_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."water_entities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "water_figures" ADD CONSTRAINT "water_figures_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "water_user_scopes" ADD CONSTRAINT "water_user_scopes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "water_user_scopes" ADD CONSTRAINT "water_user_scopes_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "water_user_scopes" ADD CONSTRAINT "water_user_scopes_entity_id_water_entities_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."water_entities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "feedback_service_idx" ON "feedback" USING btree ("service","created_at");--> statement-breakpoint
CREATE INDEX "reading_corrections_reading_idx" ON "reading_corrections" USING btree ("device_id","metric","ts","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "water_alerts_active_uq" ON "water_alerts" USING btree ("type","object_id",coalesce("device_id", '00000000-0000-0000-0000-000000000000'::uuid)) WHERE "water_alerts"."status" <> 'cleared';--> statement-breakpoint
CREATE INDEX "water_alerts_object_idx" ON "water_alerts" USING btree ("object_id");--> statement-breakpoint
CREATE INDEX "water_alerts_status_idx" ON "water_alerts" USING btree ("status","last_seen");--> statement-breakpoint
CREATE UNIQUE INDEX "water_figures_version_uq" ON "water_figures" USING btree ("entity_id","period","version");--> statement-breakpoint
CREATE INDEX "water_user_scopes_user_idx" ON "water_user_scopes" USING btree ("user_id");