-- Custom migration (drizzle-kit generate --custom): monthly partitions of usage_events.
--
-- ensure_usage_partitions(months_ahead) creates usage_events_yYYYYmMM for the current month (UTC)
-- through months_ahead months ahead, and the DEFAULT partition usage_events_default, so an insert
-- never fails even if this has not run for a while. Idempotent and safe to call concurrently
-- (app instances call it at start-up and daily, see db/index.ts). Returns how many monthly
-- partitions it created.
CREATE OR REPLACE FUNCTION ensure_usage_partitions(months_ahead integer DEFAULT 3)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
  first_month timestamp := date_trunc('month', now() AT TIME ZONE 'UTC');
  month_start timestamp;
  part text;
  lo timestamptz;
  hi timestamptz;
  created integer := 0;
BEGIN
  -- Serialize callers: two sessions racing on CREATE TABLE IF NOT EXISTS can still collide.
  PERFORM pg_advisory_xact_lock(hashtext('ensure_usage_partitions'));
  EXECUTE 'CREATE TABLE IF NOT EXISTS usage_events_default PARTITION OF usage_events DEFAULT';
  FOR i IN 0..greatest(months_ahead, 0) LOOP
    month_start := first_month + make_interval(months => i);
    part := format('usage_events_y%sm%s', to_char(month_start, 'YYYY'), to_char(month_start, 'MM'));
    CONTINUE WHEN to_regclass(quote_ident(part)) IS NOT NULL;
    lo := month_start AT TIME ZONE 'UTC';
    hi := (month_start + interval '1 month') AT TIME ZONE 'UTC';
    IF EXISTS (SELECT 1 FROM usage_events_default WHERE created_at >= lo AND created_at < hi) THEN
      -- Rows that arrived while this month had no partition sit in the default partition, and
      -- PostgreSQL refuses a new partition whose range they fall in: move them, then attach.
      EXECUTE format('CREATE TABLE %I (LIKE usage_events INCLUDING DEFAULTS)', part);
      EXECUTE format(
        'WITH moved AS (DELETE FROM usage_events_default WHERE created_at >= %L AND created_at < %L RETURNING *) '
        'INSERT INTO %I SELECT * FROM moved', lo, hi, part);
      EXECUTE format('ALTER TABLE usage_events ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', part, lo, hi);
    ELSE
      EXECUTE format('CREATE TABLE %I PARTITION OF usage_events FOR VALUES FROM (%L) TO (%L)', part, lo, hi);
    END IF;
    created := created + 1;
  END LOOP;
  RETURN created;
END
$$;
--> statement-breakpoint
SELECT ensure_usage_partitions(3);
