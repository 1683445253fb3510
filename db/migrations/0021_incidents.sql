CREATE TABLE "incident_attachments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"incident_id" uuid NOT NULL,
	"role" text NOT NULL,
	"file_name" text NOT NULL,
	"size" bigint NOT NULL,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"uploaded_by" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incident_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "incident_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"incident_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_user_id" uuid,
	"kind" text NOT NULL,
	"data" jsonb,
	"signature_id" uuid
);
--> statement-breakpoint
CREATE TABLE "incident_extensions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"incident_id" uuid NOT NULL,
	"application_id" uuid NOT NULL,
	"rule" text NOT NULL,
	"days" integer NOT NULL,
	"unit" text NOT NULL,
	"kinds" jsonb NOT NULL,
	"applied_at" timestamp with time zone NOT NULL,
	"applied_by" uuid,
	"signature_id" uuid
);
--> statement-breakpoint
CREATE TABLE "incident_timers" (
	"incident_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"rule" text NOT NULL,
	"start_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"explanation" jsonb NOT NULL,
	"met_at" timestamp with time zone,
	"overdue_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text,
	"source" text NOT NULL,
	"channel" text,
	"force_majeure" boolean DEFAULT false NOT NULL,
	"operator_caused" boolean,
	"cause" text,
	"component" text NOT NULL,
	"reporter_user_id" uuid,
	"reporter_org_name" text,
	"reporter_full_name" text,
	"reporter_id_number" text,
	"reporter_email" text,
	"reporter_phone" text,
	"detected_at" timestamp with time zone NOT NULL,
	"description" text NOT NULL,
	"application_id" uuid,
	"status" text DEFAULT 'received' NOT NULL,
	"criticality" text,
	"received_at" timestamp with time zone NOT NULL,
	"registered_at" timestamp with time zone,
	"info_requested_at" timestamp with time zone,
	"info_request" text,
	"info_answered_at" timestamp with time zone,
	"refuted_at" timestamp with time zone,
	"refutation_evidence" text,
	"confirmed_at" timestamp with time zone,
	"failure_started_at" timestamp with time zone,
	"planned_fix_at" timestamp with time zone,
	"fixed_at" timestamp with time zone,
	"fix_note" text,
	"closed_at" timestamp with time zone,
	"close_reason" text,
	"law_enforcement_at" timestamp with time zone,
	"law_enforcement_body" text,
	"law_enforcement_ref" text,
	"idempotency_key" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "incidents_number_unique" UNIQUE("number"),
	CONSTRAINT "incidents_idempotencyKey_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "incidents_status_check" CHECK (status in ('received', 'registered', 'info_requested', 'refuted', 'confirmed', 'fixed', 'closed')),
	CONSTRAINT "incidents_criticality_check" CHECK (criticality is null or criticality in ('low', 'medium', 'high')),
	CONSTRAINT "incidents_confirmed_has_criticality" CHECK (status not in ('confirmed', 'fixed') or criticality is not null or force_majeure)
);
--> statement-breakpoint
CREATE TABLE "maintenance_plans" (
	"year" integer PRIMARY KEY NOT NULL,
	"note" text,
	"approved_at" timestamp with time zone,
	"approved_by" uuid,
	"published_at" timestamp with time zone,
	"signature_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "maintenance_windows" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"year" integer NOT NULL,
	"component" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"description" text NOT NULL,
	"outside_default_reason" text,
	"unplanned" boolean DEFAULT false NOT NULL,
	"notified_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"created_by" uuid,
	"signature_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "maintenance_windows_order" CHECK ("maintenance_windows"."ends_at" > "maintenance_windows"."starts_at")
);
--> statement-breakpoint
ALTER TABLE "incident_attachments" ADD CONSTRAINT "incident_attachments_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_attachments" ADD CONSTRAINT "incident_attachments_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_events" ADD CONSTRAINT "incident_events_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_events" ADD CONSTRAINT "incident_events_signature_id_signatures_id_fk" FOREIGN KEY ("signature_id") REFERENCES "public"."signatures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_extensions" ADD CONSTRAINT "incident_extensions_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_extensions" ADD CONSTRAINT "incident_extensions_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_extensions" ADD CONSTRAINT "incident_extensions_applied_by_users_id_fk" FOREIGN KEY ("applied_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_extensions" ADD CONSTRAINT "incident_extensions_signature_id_signatures_id_fk" FOREIGN KEY ("signature_id") REFERENCES "public"."signatures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_timers" ADD CONSTRAINT "incident_timers_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_reporter_user_id_users_id_fk" FOREIGN KEY ("reporter_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_plans" ADD CONSTRAINT "maintenance_plans_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_plans" ADD CONSTRAINT "maintenance_plans_signature_id_signatures_id_fk" FOREIGN KEY ("signature_id") REFERENCES "public"."signatures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_windows" ADD CONSTRAINT "maintenance_windows_year_maintenance_plans_year_fk" FOREIGN KEY ("year") REFERENCES "public"."maintenance_plans"("year") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_windows" ADD CONSTRAINT "maintenance_windows_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_windows" ADD CONSTRAINT "maintenance_windows_signature_id_signatures_id_fk" FOREIGN KEY ("signature_id") REFERENCES "public"."signatures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "incident_attachments_incident_idx" ON "incident_attachments" USING btree ("incident_id");--> statement-breakpoint
CREATE INDEX "incident_events_incident_idx" ON "incident_events" USING btree ("incident_id","id");--> statement-breakpoint
CREATE INDEX "incident_extensions_incident_idx" ON "incident_extensions" USING btree ("incident_id","application_id");--> statement-breakpoint
CREATE UNIQUE INDEX "incident_timers_uq" ON "incident_timers" USING btree ("incident_id","kind");--> statement-breakpoint
CREATE INDEX "incident_timers_open_idx" ON "incident_timers" USING btree ("due_at") WHERE "incident_timers"."met_at" is null and "incident_timers"."cancelled_at" is null;--> statement-breakpoint
CREATE INDEX "incidents_status_idx" ON "incidents" USING btree ("status","received_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "incidents_reporter_idx" ON "incidents" USING btree ("reporter_user_id","received_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "maintenance_windows_starts_idx" ON "maintenance_windows" USING btree ("starts_at");