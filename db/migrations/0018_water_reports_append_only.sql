-- W-32: archived water reports are kept unchanged; the database refuses any UPDATE, DELETE or TRUNCATE.
CREATE OR REPLACE FUNCTION water_reports_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'water_reports are append-only: % is not allowed', TG_OP
    USING ERRCODE = 'P0001', HINT = 'An archived water report (W-32) cannot be changed or deleted.';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER water_reports_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON water_reports
  FOR EACH STATEMENT EXECUTE FUNCTION water_reports_refuse_change();
