-- X-4/X-5: stored EDS signatures are evidence; the database refuses any UPDATE, DELETE or TRUNCATE.
CREATE OR REPLACE FUNCTION signatures_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'signatures are append-only: % is not allowed', TG_OP
    USING ERRCODE = 'P0001', HINT = 'A stored EDS signature (X-5) cannot be changed or deleted.';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER signatures_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON signatures
  FOR EACH STATEMENT EXECUTE FUNCTION signatures_refuse_change();
