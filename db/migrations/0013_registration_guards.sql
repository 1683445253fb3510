-- E-7 / X-5: a published form version and a signed acceptance are evidence; a change is a new version.
CREATE OR REPLACE FUNCTION registration_forms_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'P0001', HINT = 'Publish a new version instead (E-7).';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER form_documents_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON form_documents
  FOR EACH STATEMENT EXECUTE FUNCTION registration_forms_refuse_change();
--> statement-breakpoint
CREATE TRIGGER form_acceptances_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON form_acceptances
  FOR EACH STATEMENT EXECUTE FUNCTION registration_forms_refuse_change();
