CREATE TABLE "cadastre_consents" (
	"application_id" uuid PRIMARY KEY NOT NULL,
	"consented_by" uuid NOT NULL,
	"signature_id" uuid NOT NULL,
	"consented_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conclusion_outcomes" (
	"application_id" uuid PRIMARY KEY NOT NULL,
	"outcome" text NOT NULL,
	"document_id" uuid,
	"signature_id" uuid,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "environmental_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"expert_org_id" uuid NOT NULL,
	"authority_org_id" uuid NOT NULL,
	"direction" text NOT NULL,
	"reply_to_id" uuid,
	"subject" text NOT NULL,
	"body" text,
	"file_name" text,
	"sha256" text,
	"size" bigint,
	"storage_key" text,
	"signature_id" uuid NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "partner_api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"key_hash" text NOT NULL,
	"expires_at" timestamp with time zone,
	"created_by" uuid,
	"created_signature_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" uuid,
	"revoke_signature_id" uuid,
	"revoke_reason" text,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "partner_api_keys_prefix_unique" UNIQUE("prefix"),
	CONSTRAINT "partner_api_keys_keyHash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "partner_exchanges" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "partner_exchanges_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp with time zone NOT NULL,
	"key_id" uuid,
	"org_id" uuid,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"operation" text NOT NULL,
	"status" integer NOT NULL,
	"error_code" text,
	"request_id" text NOT NULL,
	"client_id" text,
	"application_id" uuid,
	"body_sha256" text,
	"duration_ms" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "partner_pushes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"key_id" uuid NOT NULL,
	"client_id" text NOT NULL,
	"kind" text NOT NULL,
	"application_id" uuid NOT NULL,
	"request_sha256" text NOT NULL,
	"signature_id" uuid NOT NULL,
	"response" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "partner_sign_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"document_id" uuid NOT NULL,
	"push_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"signed_at" timestamp with time zone,
	"signed_by" uuid,
	"signature_id" uuid,
	CONSTRAINT "partner_sign_requests_documentId_unique" UNIQUE("document_id")
);
--> statement-breakpoint
ALTER TABLE "cadastre_consents" ADD CONSTRAINT "cadastre_consents_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cadastre_consents" ADD CONSTRAINT "cadastre_consents_consented_by_users_id_fk" FOREIGN KEY ("consented_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cadastre_consents" ADD CONSTRAINT "cadastre_consents_signature_id_signatures_id_fk" FOREIGN KEY ("signature_id") REFERENCES "public"."signatures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conclusion_outcomes" ADD CONSTRAINT "conclusion_outcomes_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conclusion_outcomes" ADD CONSTRAINT "conclusion_outcomes_document_id_application_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."application_documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conclusion_outcomes" ADD CONSTRAINT "conclusion_outcomes_signature_id_signatures_id_fk" FOREIGN KEY ("signature_id") REFERENCES "public"."signatures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "environmental_messages" ADD CONSTRAINT "environmental_messages_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "environmental_messages" ADD CONSTRAINT "environmental_messages_expert_org_id_organisations_id_fk" FOREIGN KEY ("expert_org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "environmental_messages" ADD CONSTRAINT "environmental_messages_authority_org_id_organisations_id_fk" FOREIGN KEY ("authority_org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "environmental_messages" ADD CONSTRAINT "environmental_messages_signature_id_signatures_id_fk" FOREIGN KEY ("signature_id") REFERENCES "public"."signatures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "environmental_messages" ADD CONSTRAINT "environmental_messages_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_api_keys" ADD CONSTRAINT "partner_api_keys_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_api_keys" ADD CONSTRAINT "partner_api_keys_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_api_keys" ADD CONSTRAINT "partner_api_keys_created_signature_id_signatures_id_fk" FOREIGN KEY ("created_signature_id") REFERENCES "public"."signatures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_api_keys" ADD CONSTRAINT "partner_api_keys_revoked_by_users_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_api_keys" ADD CONSTRAINT "partner_api_keys_revoke_signature_id_signatures_id_fk" FOREIGN KEY ("revoke_signature_id") REFERENCES "public"."signatures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_exchanges" ADD CONSTRAINT "partner_exchanges_key_id_partner_api_keys_id_fk" FOREIGN KEY ("key_id") REFERENCES "public"."partner_api_keys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_exchanges" ADD CONSTRAINT "partner_exchanges_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_pushes" ADD CONSTRAINT "partner_pushes_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_pushes" ADD CONSTRAINT "partner_pushes_key_id_partner_api_keys_id_fk" FOREIGN KEY ("key_id") REFERENCES "public"."partner_api_keys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_pushes" ADD CONSTRAINT "partner_pushes_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_pushes" ADD CONSTRAINT "partner_pushes_signature_id_signatures_id_fk" FOREIGN KEY ("signature_id") REFERENCES "public"."signatures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_sign_requests" ADD CONSTRAINT "partner_sign_requests_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_sign_requests" ADD CONSTRAINT "partner_sign_requests_document_id_application_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."application_documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_sign_requests" ADD CONSTRAINT "partner_sign_requests_push_id_partner_pushes_id_fk" FOREIGN KEY ("push_id") REFERENCES "public"."partner_pushes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_sign_requests" ADD CONSTRAINT "partner_sign_requests_signed_by_users_id_fk" FOREIGN KEY ("signed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_sign_requests" ADD CONSTRAINT "partner_sign_requests_signature_id_signatures_id_fk" FOREIGN KEY ("signature_id") REFERENCES "public"."signatures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "environmental_messages_app_idx" ON "environmental_messages" USING btree ("application_id","created_at");--> statement-breakpoint
CREATE INDEX "environmental_messages_authority_idx" ON "environmental_messages" USING btree ("authority_org_id","created_at");--> statement-breakpoint
CREATE INDEX "partner_api_keys_org_idx" ON "partner_api_keys" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "partner_exchanges_key_idx" ON "partner_exchanges" USING btree ("key_id","at");--> statement-breakpoint
CREATE INDEX "partner_exchanges_org_idx" ON "partner_exchanges" USING btree ("org_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "partner_pushes_client_uq" ON "partner_pushes" USING btree ("org_id","client_id");--> statement-breakpoint
CREATE INDEX "partner_sign_requests_app_idx" ON "partner_sign_requests" USING btree ("application_id") WHERE "partner_sign_requests"."signed_at" is null;--> statement-breakpoint
-- The statuses completeness_review and awaiting_remedy were never set by the flow (registered and remarks_issued
-- mean the same); any such row is mapped before the CHECK constraint is added.
UPDATE "applications" SET "status" = 'registered' WHERE "status" = 'completeness_review';--> statement-breakpoint
UPDATE "applications" SET "status" = 'remarks_issued' WHERE "status" = 'awaiting_remedy';--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_status_check" CHECK (status in ('draft', 'registered', 'incomplete', 'in_review', 'remarks_issued', 'conclusion_signed', 'conclusion_released', 'archived'));