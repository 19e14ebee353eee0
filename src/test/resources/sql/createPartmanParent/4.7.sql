DO $partman$
DECLARE
  v_config record;
  v_session_time_zone text := current_setting('TimeZone');
BEGIN
IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'pg_partman') THEN
  RAISE EXCEPTION 'pg_partman is not installed in this database (%)', current_database()
    USING HINT = 'Install it first: CREATE SCHEMA IF NOT EXISTS "partman"; CREATE EXTENSION pg_partman SCHEMA "partman";';
END IF;
DECLARE
  v_missing text := concat_ws(' ',
    CASE WHEN NOT has_schema_privilege('partman', 'USAGE') THEN format('GRANT USAGE ON SCHEMA %I TO %I;', 'partman', current_user) END,
    CASE WHEN NOT has_schema_privilege('partman', 'CREATE') THEN format('GRANT CREATE ON SCHEMA %I TO %I;', 'partman', current_user) END,
    CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace, unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']) AS p(privilege) WHERE n.nspname = 'partman' AND c.relname IN ('part_config', 'part_config_sub') AND NOT has_table_privilege(c.oid, p.privilege)) THEN format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I;', 'partman', current_user) END);
BEGIN
  IF v_missing <> '' THEN
    RAISE EXCEPTION 'role % may not use pg_partman in schema %; it needs: %', current_user, 'partman', v_missing
      USING HINT = 'As the owner of schema partman or a superuser: ' || v_missing;
  END IF;
END;
IF to_regclass('"public"."statistics_daily_users"') IS NULL THEN
  RAISE EXCEPTION 'table public.statistics_daily_users does not exist' USING HINT = 'Create it with PARTITION BY RANGE (or LIST) before this change.';
END IF;
IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_partitioned_table WHERE partrelid = to_regclass('"public"."statistics_daily_users"')) THEN
  RAISE EXCEPTION 'table public.statistics_daily_users is not partitioned' USING HINT = 'pg_partman manages tables declared with PARTITION BY RANGE (or LIST); recreate the table partitioned and move its rows.';
END IF;
IF to_regclass('"public"."partman_change_undo"') IS NULL THEN
  CREATE TABLE "public"."partman_change_undo" (
    change_key text NOT NULL,
    parent_table text NOT NULL,
    action text NOT NULL,
    previous jsonb,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (change_key, parent_table)
  );
END IF;
SELECT control, partition_interval INTO v_config FROM "partman"."part_config" WHERE parent_table = 'public.statistics_daily_users';
IF FOUND THEN
  IF v_config.control <> 'stat_date' OR v_config.partition_interval::interval <> '1 month'::interval THEN
    RAISE EXCEPTION 'table % is already managed by pg_partman with control column % and interval %, not stat_date and 1 month', 'public.statistics_daily_users', v_config.control, v_config.partition_interval
      USING HINT = 'Change premake or retention with setPartmanConfig/setRetention; to change the control column or interval, unregister the table first.';
  END IF;
  RAISE NOTICE 'liquibase-partman: % is already managed by pg_partman with the same control column and interval; adopting the existing registration unchanged', 'public.statistics_daily_users';
ELSE
  PERFORM set_config('TimeZone', 'UTC', true);
  PERFORM "partman"."create_parent"(p_parent_table := 'public.statistics_daily_users', p_control := 'stat_date', p_type := 'native', p_interval := '1 month', p_premake := 3, p_start_partition := '2024-01-01');
  PERFORM set_config('TimeZone', v_session_time_zone, true);
  INSERT INTO "public"."partman_change_undo" (change_key, parent_table, action)
  VALUES ('createPartmanParent::statistics_daily_users', 'public.statistics_daily_users', 'registered')
  ON CONFLICT (change_key, parent_table) DO NOTHING;
END IF;
END;
$partman$