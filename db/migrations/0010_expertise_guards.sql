-- X-5: a certified application document is never changed or deleted. Only the annulment (annulled_at,
-- annulment_signature_id) and the registration (registered_on, registered_at: set at submission for draft
-- documents) may be filled in, each once. Uncertified rows (not yet signed) are free.
CREATE OR REPLACE FUNCTION application_documents_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.certified_signature_id IS NOT NULL THEN
      RAISE EXCEPTION 'a certified document cannot be deleted (X-5)'
        USING ERRCODE = 'P0001', HINT = 'Certified documents change only through new versions (E-51).';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.certified_signature_id IS NULL THEN
    RETURN NEW;
  END IF;
  IF (to_jsonb(NEW) - 'annulled_at' - 'annulment_signature_id' - 'registered_on' - 'registered_at')
     IS DISTINCT FROM (to_jsonb(OLD) - 'annulled_at' - 'annulment_signature_id' - 'registered_on' - 'registered_at') THEN
    RAISE EXCEPTION 'a certified document cannot be changed (X-5)'
      USING ERRCODE = 'P0001', HINT = 'Certified documents change only through new versions (E-51).';
  END IF;
  IF (OLD.annulled_at IS NOT NULL AND NEW.annulled_at IS DISTINCT FROM OLD.annulled_at)
     OR (OLD.annulment_signature_id IS NOT NULL AND NEW.annulment_signature_id IS DISTINCT FROM OLD.annulment_signature_id)
     OR (OLD.registered_on IS NOT NULL AND NEW.registered_on IS DISTINCT FROM OLD.registered_on)
     OR (OLD.registered_at IS NOT NULL AND NEW.registered_at IS DISTINCT FROM OLD.registered_at) THEN
    RAISE EXCEPTION 'the annulment or registration of a certified document is set once (X-5)' USING ERRCODE = 'P0001';
  END IF;
  IF NEW.annulled_at IS NOT NULL AND NEW.annulment_signature_id IS NULL THEN
    RAISE EXCEPTION 'an annulment must be certified with EDS (E-51)' USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER application_documents_immutable
  BEFORE UPDATE OR DELETE ON application_documents
  FOR EACH ROW EXECUTE FUNCTION application_documents_guard();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION expertise_refuse_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% of % is not allowed (X-5, X-6)', TG_OP, TG_TABLE_NAME USING ERRCODE = 'P0001';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER application_documents_no_truncate
  BEFORE TRUNCATE ON application_documents
  FOR EACH STATEMENT EXECUTE FUNCTION expertise_refuse_truncate();
--> statement-breakpoint
-- E-45: once the completeness check is locked (its deadline passed), its result cannot change.
-- X-6/E-23: a registered application is never deleted (it is archived).
CREATE OR REPLACE FUNCTION applications_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status <> 'draft' THEN
      RAISE EXCEPTION 'a registered application cannot be deleted (E-23, X-6)' USING ERRCODE = 'P0001';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.completeness_locked AND (
       NEW.completeness_locked IS DISTINCT FROM OLD.completeness_locked
       OR NEW.completeness_result IS DISTINCT FROM OLD.completeness_result
       OR NEW.completeness_auto IS DISTINCT FROM OLD.completeness_auto
       OR NEW.completeness_remarks IS DISTINCT FROM OLD.completeness_remarks) THEN
    RAISE EXCEPTION 'the completeness result is locked: its deadline has passed (E-45)'
      USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER applications_guard
  BEFORE UPDATE OR DELETE ON applications
  FOR EACH ROW EXECUTE FUNCTION applications_guard();
--> statement-breakpoint
CREATE TRIGGER applications_no_truncate
  BEFORE TRUNCATE ON applications
  FOR EACH STATEMENT EXECUTE FUNCTION expertise_refuse_truncate();
--> statement-breakpoint
-- E-48: the remarks document, once issued, is evidence: no UPDATE or DELETE.
CREATE OR REPLACE FUNCTION remarks_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'issued remarks cannot be changed or deleted (E-48, X-5): % refused', TG_OP USING ERRCODE = 'P0001';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER remarks_immutable
  BEFORE UPDATE OR DELETE OR TRUNCATE ON remarks
  FOR EACH STATEMENT EXECUTE FUNCTION remarks_refuse_change();
