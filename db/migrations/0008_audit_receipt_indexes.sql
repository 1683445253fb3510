CREATE INDEX "audit_log_iin_idx" ON "audit_log" USING btree ("actor_iin");--> statement-breakpoint
CREATE INDEX "receipts_entity_idx" ON "receipts" USING btree ("entity_type","entity_id");