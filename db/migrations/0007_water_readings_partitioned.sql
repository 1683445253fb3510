-- W-17: readings are partitioned by month (Astana calendar months). drizzle-kit cannot declare a partitioned
-- table, so 0006 created a plain one with the same columns and key; here it becomes partitioned (it is empty).
DROP TABLE "readings";
--> statement-breakpoint
CREATE TABLE "readings" (
	"device_id" uuid NOT NULL,
	"metric" text NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"value" double precision NOT NULL,
	"unit" text NOT NULL,
	"flags" smallint DEFAULT 0 NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "readings_device_id_metric_ts_pk" PRIMARY KEY("device_id","metric","ts")
) PARTITION BY RANGE ("ts");
--> statement-breakpoint
-- Catches readings of months that have no partition yet; water_ensure_reading_partition moves them out.
CREATE TABLE "readings_default" PARTITION OF "readings" DEFAULT;
--> statement-breakpoint
-- Creates the partition of the Astana calendar month containing p_day (readings_yYYYYmMM), moving any rows of
-- that month out of the default partition first. Returns true when it created one. Safe to call concurrently.
CREATE OR REPLACE FUNCTION water_ensure_reading_partition(p_day date) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  m date := (p_day - (extract(day FROM p_day)::int - 1));
  part text := format('readings_y%sm%s', to_char(m, 'YYYY'), to_char(m, 'MM'));
  lo timestamptz := (m::timestamp AT TIME ZONE 'Asia/Almaty');
  hi timestamptz := ((m + interval '1 month')::timestamp AT TIME ZONE 'Asia/Almaty');
BEGIN
  IF to_regclass(part) IS NOT NULL THEN
    RETURN false;
  END IF;
  -- Serialises partition makers without blocking inserts (ATTACH takes this lock anyway); taking a table
  -- lock also refreshes the catalogue caches, and the re-check below reads pg_class with a fresh snapshot.
  LOCK TABLE readings IN SHARE UPDATE EXCLUSIVE MODE;
  IF EXISTS (SELECT 1 FROM pg_class WHERE relname = part AND relnamespace = 'public'::regnamespace) THEN
    RETURN false;
  END IF;
  EXECUTE format('CREATE TABLE %I (LIKE readings INCLUDING DEFAULTS)', part);
  EXECUTE format(
    'WITH moved AS (DELETE FROM readings_default WHERE ts >= %L AND ts < %L RETURNING *) INSERT INTO %I SELECT * FROM moved',
    lo, hi, part);
  EXECUTE format('ALTER TABLE readings ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', part, lo, hi);
  RETURN true;
END
$$;
