DO $partman$
DECLARE
  v_session_time_zone text := current_setting('TimeZone');
BEGIN
IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'pg_partman') THEN
  RAISE EXCEPTION 'pg_partman is not installed in this database (%)', current_database()
    USING HINT = 'Install it first: CREATE SCHEMA IF NOT EXISTS "partman"; CREATE EXTENSION pg_partman SCHEMA "partman";';
END IF;
DECLARE
  v_missing text := concat_ws(' ',
    CASE WHEN NOT has_schema_privilege('partman', 'USAGE') THEN format('GRANT USAGE ON SCHEMA %I TO %I;', 'partman', current_user) END,
    CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace, unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']) AS p(privilege) WHERE n.nspname = 'partman' AND c.relname IN ('part_config', 'part_config_sub') AND NOT has_table_privilege(c.oid, p.privilege)) THEN format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I;', 'partman', current_user) END);
BEGIN
  IF v_missing <> '' THEN
    RAISE EXCEPTION 'role % may not use pg_partman in schema %; it needs: %', current_user, 'partman', v_missing
      USING HINT = 'As the owner of schema partman or a superuser: ' || v_missing;
  END IF;
END;
IF NOT EXISTS (SELECT 1 FROM "partman"."part_config" WHERE parent_table = 'public.statistics_daily_users') THEN
  RAISE EXCEPTION 'table public.statistics_daily_users is not managed by pg_partman' USING HINT = 'Register it first with a createPartmanParent change.';
END IF;
PERFORM set_config('TimeZone', 'UTC', true);
PERFORM "partman"."run_maintenance"(p_parent_table := 'public.statistics_daily_users', p_analyze := false);
PERFORM set_config('TimeZone', v_session_time_zone, true);
END;
$partman$