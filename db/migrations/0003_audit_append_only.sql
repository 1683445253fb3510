-- X-9: the audit journal is append-only. Any UPDATE, DELETE or TRUNCATE of audit_log is refused by the
-- database itself, whatever the application does. Statement-level triggers also fire when no row matches,
-- so even an attempted change is an error. (A superuser can still bypass triggers; the hash chain makes
-- such an edit detectable by `npm run audit:verify`.)
CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'P0001', HINT = 'The audit journal (X-9) can only be appended to.';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
