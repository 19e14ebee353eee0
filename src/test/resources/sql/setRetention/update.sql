-- retention 6 months: the partitions it removes are listed when run against the database
DO $partman$
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
INSERT INTO "public"."partman_change_undo" (change_key, parent_table, action, previous)
SELECT 'setRetention::statistics_daily_users', c.parent_table, 'config', to_jsonb(c) FROM "partman"."part_config" c WHERE c.parent_table = 'public.statistics_daily_users'
ON CONFLICT (change_key, parent_table) DO NOTHING;
UPDATE "partman"."part_config"
SET "retention" = '6 months',
    "retention_keep_table" = false,
    "retention_keep_index" = false
WHERE parent_table = 'public.statistics_daily_users';
DECLARE
  v_count bigint;
  v_children text;
  v_action text;
BEGIN
  SELECT count(*), string_agg(format('%s [%s, %s) ~%s rows', child, from_bound, to_bound, estimated_rows), '; ')
    INTO v_count, v_children FROM (
SELECT p.partition_schemaname || '.' || p.partition_tablename AS child,
       i.child_start_time::text AS from_bound, i.child_end_time::text AS to_bound,
       CASE WHEN c.reltuples < 0 THEN 'unknown' ELSE c.reltuples::bigint::text END AS estimated_rows
FROM (SELECT parent_table FROM "partman"."part_config" WHERE parent_table = 'public.statistics_daily_users' AND to_regclass('"public"."statistics_daily_users"') IS NOT NULL) cfg
CROSS JOIN LATERAL "partman"."show_partitions"(cfg.parent_table) p
CROSS JOIN LATERAL "partman"."show_partition_info"(p.partition_schemaname || '.' || p.partition_tablename, NULL, cfg.parent_table) i
JOIN pg_catalog.pg_class c ON c.oid = format('%I.%I', p.partition_schemaname, p.partition_tablename)::regclass
WHERE i.child_end_time < now() - '6 months'::interval
ORDER BY i.child_start_time
) preview;
  SELECT CASE WHEN retention_schema IS NOT NULL THEN 'move to schema ' || retention_schema
              WHEN retention_keep_table THEN 'detach' ELSE 'drop' END
    INTO v_action FROM "partman"."part_config" WHERE parent_table = 'public.statistics_daily_users';
  IF v_count > 0 THEN
    RAISE NOTICE 'liquibase-partman: with retention %, the next maintenance will % % partition(s) of %: %', '6 months', v_action, v_count, 'public.statistics_daily_users', v_children;
  END IF;
END;
END;
$partman$