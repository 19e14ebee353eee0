DO $partman$
DECLARE
  v_session_time_zone text := current_setting('TimeZone');
BEGIN
IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'pg_partman') THEN
  RAISE EXCEPTION 'pg_partman is not installed in this database (%)', current_database()
    USING HINT = 'Install it first: CREATE SCHEMA IF NOT EXISTS "partman"; CREATE EXTENSION pg_partman SCHEMA "partman";';
END IF;
IF NOT has_schema_privilege('partman', 'USAGE')
   OR NOT (has_table_privilege('"partman"."part_config"', 'SELECT') AND has_table_privilege('"partman"."part_config"', 'INSERT') AND has_table_privilege('"partman"."part_config"', 'UPDATE') AND has_table_privilege('"partman"."part_config"', 'DELETE')) THEN
  RAISE EXCEPTION 'role % may not use pg_partman in schema %', current_user, 'partman'
    USING HINT = 'As the owner: GRANT USAGE ON SCHEMA "partman" TO <role>; GRANT ALL ON ALL TABLES IN SCHEMA "partman" TO <role>; GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA "partman" TO <role>;';
END IF;
IF NOT EXISTS (SELECT 1 FROM "partman"."part_config" WHERE parent_table = 'public.statistics_daily_users') THEN
  RAISE EXCEPTION 'table public.statistics_daily_users is not managed by pg_partman' USING HINT = 'Register it first with a createPartmanParent change.';
END IF;
PERFORM set_config('TimeZone', 'UTC', true);
PERFORM "partman"."run_maintenance"(p_parent_table := 'public.statistics_daily_users', p_analyze := false);
PERFORM set_config('TimeZone', v_session_time_zone, true);
END;
$partman$