CREATE TABLE "application_deadlines" (
	"application_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"start_at" timestamp with time zone NOT NULL,
	"amount" integer NOT NULL,
	"unit" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"due_date" date NOT NULL,
	"explanation" jsonb NOT NULL,
	"extensions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "application_deadlines_application_id_kind_pk" PRIMARY KEY("application_id","kind")
);
--> statement-breakpoint
CREATE TABLE "application_documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"slot" text NOT NULL,
	"version" integer NOT NULL,
	"sha256" text NOT NULL,
	"file_name" text NOT NULL,
	"size" bigint NOT NULL,
	"storage_key" text,
	"certified_signature_id" uuid,
	"registered_on" date,
	"registered_at" timestamp with time zone,
	"supersedes_id" uuid,
	"annulled_at" timestamp with time zone,
	"annulment_signature_id" uuid,
	"is_cost_estimate" boolean DEFAULT false NOT NULL,
	"issued_by" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "application_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "application_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"application_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_user_id" uuid,
	"actor" text NOT NULL,
	"kind" text NOT NULL,
	"data" jsonb
);
--> statement-breakpoint
CREATE TABLE "applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text,
	"applicant_user_id" uuid NOT NULL,
	"applicant_org_id" uuid,
	"expert_org_id" uuid,
	"object_name" text,
	"region" text,
	"address" text,
	"category" text,
	"work_kind" text,
	"financing_source" text,
	"status" text DEFAULT 'draft' NOT NULL,
	"idempotency_key" text,
	"submit_signature_id" uuid,
	"receipt_id" uuid,
	"received_at" timestamp with time zone,
	"registration_date" date,
	"registered_at" timestamp with time zone,
	"registration_explanation" jsonb,
	"completeness_result" text,
	"completeness_remarks" text,
	"completeness_at" timestamp with time zone,
	"completeness_locked" boolean DEFAULT false NOT NULL,
	"completeness_auto" boolean DEFAULT false NOT NULL,
	"conclusion_document_id" uuid,
	"conclusion_signature_id" uuid,
	"conclusion_signed_at" timestamp with time zone,
	"payment_confirmed_at" timestamp with time zone,
	"payment_basis" text,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "applications_number_unique" UNIQUE("number"),
	CONSTRAINT "applications_idempotencyKey_unique" UNIQUE("idempotency_key")
);
--> statement-breakpoint
CREATE TABLE "deadline_configs" (
	"category" text PRIMARY KEY NOT NULL,
	"label" text NOT NULL,
	"completeness_days" integer NOT NULL,
	"remarks_days" integer NOT NULL,
	"remedy_days" integer NOT NULL,
	"conclusion_days" integer NOT NULL,
	"unit" text NOT NULL,
	"demo" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "expert_org_settings" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"org_code" text NOT NULL,
	"number_template" text NOT NULL,
	"accredited" boolean DEFAULT false NOT NULL,
	"blocked" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "remarks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"text" text NOT NULL,
	"signature_id" uuid NOT NULL,
	"document_id" uuid,
	"issued_by" uuid,
	"issued_at" timestamp with time zone NOT NULL,
	"registered_on" date NOT NULL,
	CONSTRAINT "remarks_applicationId_unique" UNIQUE("application_id")
);
--> statement-breakpoint
ALTER TABLE "application_deadlines" ADD CONSTRAINT "application_deadlines_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "application_documents" ADD CONSTRAINT "application_documents_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "application_documents" ADD CONSTRAINT "application_documents_certified_signature_id_signatures_id_fk" FOREIGN KEY ("certified_signature_id") REFERENCES "public"."signatures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "application_documents" ADD CONSTRAINT "application_documents_annulment_signature_id_signatures_id_fk" FOREIGN KEY ("annulment_signature_id") REFERENCES "public"."signatures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "application_documents" ADD CONSTRAINT "application_documents_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "application_events" ADD CONSTRAINT "application_events_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_applicant_user_id_users_id_fk" FOREIGN KEY ("applicant_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_applicant_org_id_organisations_id_fk" FOREIGN KEY ("applicant_org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_expert_org_id_organisations_id_fk" FOREIGN KEY ("expert_org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_submit_signature_id_signatures_id_fk" FOREIGN KEY ("submit_signature_id") REFERENCES "public"."signatures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_conclusion_signature_id_signatures_id_fk" FOREIGN KEY ("conclusion_signature_id") REFERENCES "public"."signatures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expert_org_settings" ADD CONSTRAINT "expert_org_settings_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remarks" ADD CONSTRAINT "remarks_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remarks" ADD CONSTRAINT "remarks_signature_id_signatures_id_fk" FOREIGN KEY ("signature_id") REFERENCES "public"."signatures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remarks" ADD CONSTRAINT "remarks_issued_by_users_id_fk" FOREIGN KEY ("issued_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "application_deadlines_open_idx" ON "application_deadlines" USING btree ("kind","due_at") WHERE "application_deadlines"."status" = 'open';--> statement-breakpoint
CREATE UNIQUE INDEX "application_documents_version_uq" ON "application_documents" USING btree ("application_id","slot","version");--> statement-breakpoint
CREATE INDEX "application_events_app_idx" ON "application_events" USING btree ("application_id","id");--> statement-breakpoint
CREATE INDEX "applications_applicant_user_idx" ON "applications" USING btree ("applicant_user_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "applications_applicant_org_idx" ON "applications" USING btree ("applicant_org_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "applications_expert_queue_idx" ON "applications" USING btree ("expert_org_id","registered_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "applications"."status" <> 'draft';--> statement-breakpoint
CREATE INDEX "applications_retention_idx" ON "applications" USING btree ("registration_date") WHERE "applications"."status" <> 'archived' and "applications"."status" <> 'draft';