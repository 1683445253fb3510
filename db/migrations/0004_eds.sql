CREATE TABLE "eds_test_pki" (
	"version" integer PRIMARY KEY NOT NULL,
	"material" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signatures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"signer_iin" text NOT NULL,
	"signer_bin" text,
	"signer_name" text,
	"cert_der" text NOT NULL,
	"cert_fingerprint" text NOT NULL,
	"cert_serial" text NOT NULL,
	"purpose" text NOT NULL,
	"subject" text,
	"cms" text NOT NULL,
	"content_sha256" text NOT NULL,
	"signed_at" timestamp with time zone,
	"verified_at" timestamp with time zone NOT NULL,
	"verdict" jsonb NOT NULL
);
--> statement-breakpoint
CREATE INDEX "signatures_signer_iin_idx" ON "signatures" USING btree ("signer_iin");--> statement-breakpoint
CREATE INDEX "signatures_content_idx" ON "signatures" USING btree ("content_sha256");