CREATE TABLE "action_nonces" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"action" text NOT NULL,
	"nonce" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "action_nonces" ADD CONSTRAINT "action_nonces_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "action_nonces_user_created_idx" ON "action_nonces" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "action_nonces_expires_idx" ON "action_nonces" USING btree ("expires_at");