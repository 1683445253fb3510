CREATE TABLE "charges" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"tariff_id" uuid NOT NULL,
	"period" text NOT NULL,
	"quantity" numeric(14, 3) NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "charges_org_tariff_period_uq" UNIQUE("org_id","tariff_id","period")
);
--> statement-breakpoint
CREATE TABLE "expert_accreditations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"registration_id" uuid,
	"certificate_number" text NOT NULL,
	"issued_on" date NOT NULL,
	"valid_until" date NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "expert_org_registry" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"accredited" boolean DEFAULT false NOT NULL,
	"registered_at" timestamp with time zone,
	"current_accreditation_id" uuid,
	"blocked" boolean DEFAULT false NOT NULL,
	"blocked_at" timestamp with time zone,
	"block_ground" text,
	"block_basis" text,
	"is_user_since" timestamp with time zone,
	"is_access_ended_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "form_acceptances" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"form_document_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"org_id" uuid,
	"signature_id" uuid NOT NULL,
	"accepted_at" timestamp with time zone NOT NULL,
	CONSTRAINT "form_acceptances_signatureId_unique" UNIQUE("signature_id")
);
--> statement-breakpoint
CREATE TABLE "form_documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"version" integer NOT NULL,
	"title" jsonb NOT NULL,
	"body" jsonb NOT NULL,
	"in_force_from" timestamp with time zone NOT NULL,
	"published_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "form_documents_kind_version_uq" UNIQUE("kind","version")
);
--> statement-breakpoint
CREATE TABLE "registration_forms" (
	"registration_id" uuid NOT NULL,
	"acceptance_id" uuid NOT NULL,
	CONSTRAINT "registration_forms_acceptanceId_unique" UNIQUE("acceptance_id")
);
--> statement-breakpoint
CREATE TABLE "registration_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"applicant_user_id" uuid NOT NULL,
	"applicant_org_id" uuid,
	"person_type" text NOT NULL,
	"subject_key" text NOT NULL,
	"form_data" jsonb NOT NULL,
	"attachments" jsonb NOT NULL,
	"agreement_acceptance_id" uuid,
	"signature_id" uuid NOT NULL,
	"status" text DEFAULT 'submitted' NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"deadline_start_at" timestamp with time zone,
	"due_at" timestamp with time zone,
	"due_date" date,
	"due_explanation" jsonb,
	"decided_at" timestamp with time zone,
	"decided_by" uuid,
	"refusal_ground" text,
	"refusal_reason" text
);
--> statement-breakpoint
CREATE TABLE "registration_responsible_persons" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"registration_id" uuid NOT NULL,
	"iin" text NOT NULL,
	"full_name" text NOT NULL,
	"position" text NOT NULL,
	"acceptance_id" uuid,
	"signed_at" timestamp with time zone,
	CONSTRAINT "registration_responsible_persons_uq" UNIQUE("registration_id","iin")
);
--> statement-breakpoint
CREATE TABLE "tariffs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"service" text NOT NULL,
	"rate" numeric(14, 2) NOT NULL,
	"unit" text NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"agreed_with_vedomstvo" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "charges" ADD CONSTRAINT "charges_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "charges" ADD CONSTRAINT "charges_tariff_id_tariffs_id_fk" FOREIGN KEY ("tariff_id") REFERENCES "public"."tariffs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "charges" ADD CONSTRAINT "charges_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expert_accreditations" ADD CONSTRAINT "expert_accreditations_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expert_accreditations" ADD CONSTRAINT "expert_accreditations_registration_id_registration_requests_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."registration_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expert_org_registry" ADD CONSTRAINT "expert_org_registry_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expert_org_registry" ADD CONSTRAINT "expert_org_registry_current_accreditation_id_expert_accreditations_id_fk" FOREIGN KEY ("current_accreditation_id") REFERENCES "public"."expert_accreditations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "form_acceptances" ADD CONSTRAINT "form_acceptances_form_document_id_form_documents_id_fk" FOREIGN KEY ("form_document_id") REFERENCES "public"."form_documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "form_acceptances" ADD CONSTRAINT "form_acceptances_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "form_acceptances" ADD CONSTRAINT "form_acceptances_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "form_acceptances" ADD CONSTRAINT "form_acceptances_signature_id_signatures_id_fk" FOREIGN KEY ("signature_id") REFERENCES "public"."signatures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "form_documents" ADD CONSTRAINT "form_documents_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registration_forms" ADD CONSTRAINT "registration_forms_registration_id_registration_requests_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."registration_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registration_forms" ADD CONSTRAINT "registration_forms_acceptance_id_form_acceptances_id_fk" FOREIGN KEY ("acceptance_id") REFERENCES "public"."form_acceptances"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registration_requests" ADD CONSTRAINT "registration_requests_applicant_user_id_users_id_fk" FOREIGN KEY ("applicant_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registration_requests" ADD CONSTRAINT "registration_requests_applicant_org_id_organisations_id_fk" FOREIGN KEY ("applicant_org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registration_requests" ADD CONSTRAINT "registration_requests_agreement_acceptance_id_form_acceptances_id_fk" FOREIGN KEY ("agreement_acceptance_id") REFERENCES "public"."form_acceptances"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registration_requests" ADD CONSTRAINT "registration_requests_signature_id_signatures_id_fk" FOREIGN KEY ("signature_id") REFERENCES "public"."signatures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registration_requests" ADD CONSTRAINT "registration_requests_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registration_responsible_persons" ADD CONSTRAINT "registration_responsible_persons_registration_id_registration_requests_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."registration_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registration_responsible_persons" ADD CONSTRAINT "registration_responsible_persons_acceptance_id_form_acceptances_id_fk" FOREIGN KEY ("acceptance_id") REFERENCES "public"."form_acceptances"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tariffs" ADD CONSTRAINT "tariffs_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "expert_accreditations_org_idx" ON "expert_accreditations" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "form_acceptances_user_idx" ON "form_acceptances" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "form_documents_kind_in_force_idx" ON "form_documents" USING btree ("kind","in_force_from");--> statement-breakpoint
CREATE INDEX "registration_forms_registration_idx" ON "registration_forms" USING btree ("registration_id");--> statement-breakpoint
CREATE INDEX "registration_requests_queue_idx" ON "registration_requests" USING btree ("status","due_at");--> statement-breakpoint
CREATE INDEX "registration_requests_applicant_idx" ON "registration_requests" USING btree ("applicant_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "registration_requests_pending_uq" ON "registration_requests" USING btree ("kind","subject_key") WHERE "registration_requests"."status" = 'submitted';