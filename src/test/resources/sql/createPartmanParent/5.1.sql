DO $partman$
DECLARE
  v_config record;
  v_session_time_zone text := current_setting('TimeZone');
  v_children_before oid[];
  v_resume_from text;
  v_datetime_string text;
  v_naming text;
  v_child record;
  v_newest oid;
  v_newest_name name;
  v_newest_bound text;
  v_default oid;
  v_default_name name;
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
  -- Partitions the table already has (a registration rolled back, children made by hand or by another
  -- tool, maybe named otherwise): create_parent starts at the newest of them, and so makes none beside
  -- them. It then makes that newest range again and a DEFAULT of its own, which would fail beside the
  -- table's: those two wait aside, detached under other names, until create_parent is done
  -- (put-back-set-aside.sql).
  SELECT array_agg(k.oid) INTO v_children_before
  FROM pg_catalog.pg_inherits i
  JOIN pg_catalog.pg_class k ON k.oid = i.inhrelid
  WHERE i.inhparent = '"public"."statistics_daily_users"'::regclass AND pg_catalog.pg_get_expr(k.relpartbound, k.oid) <> 'DEFAULT';
  SELECT k.oid, k.relname, pg_catalog.pg_get_expr(k.relpartbound, k.oid), b.bound[1]
  INTO v_newest, v_newest_name, v_newest_bound, v_resume_from
  FROM unnest(v_children_before) c(oid)
  JOIN pg_catalog.pg_class k ON k.oid = c.oid
  CROSS JOIN LATERAL regexp_match(pg_catalog.pg_get_expr(k.relpartbound, k.oid),
      '^FOR VALUES FROM \(''?(-?[0-9][^'',)]*)''?\) TO \(''?(-?[0-9][^'',)]*)''?\)$') b(bound)
  WHERE b.bound IS NOT NULL
  ORDER BY CASE WHEN b.bound[1] ~ '^-?[0-9]+(\.[0-9]+)?$' THEN b.bound[1]::numeric END DESC NULLS LAST,
           CASE WHEN b.bound[1] !~ '^-?[0-9]+(\.[0-9]+)?$' THEN b.bound[1]::timestamptz END DESC NULLS LAST
  LIMIT 1;
  SELECT k.oid, k.relname INTO v_default, v_default_name
  FROM pg_catalog.pg_inherits i
  JOIN pg_catalog.pg_class k ON k.oid = i.inhrelid
  WHERE i.inhparent = '"public"."statistics_daily_users"'::regclass AND pg_catalog.pg_get_expr(k.relpartbound, k.oid) = 'DEFAULT';
  FOR v_child IN SELECT unnest(ARRAY[v_newest, v_default]) AS oid LOOP
    CONTINUE WHEN v_newest IS NULL OR v_child.oid IS NULL;
    EXECUTE format('ALTER TABLE %s DETACH PARTITION %s', '"public"."statistics_daily_users"'::regclass, v_child.oid::regclass);
    EXECUTE format('ALTER TABLE %s RENAME TO %I', v_child.oid::regclass, 'liquibase_partman_aside_' || v_child.oid);
  END LOOP;
  PERFORM "partman"."create_parent"(p_parent_table := 'public.statistics_daily_users', p_control := 'stat_date', p_type := 'range', p_interval := '1 month', p_premake := 3, p_start_partition := coalesce(v_resume_from, '2024-01-01'));
  IF v_newest IS NOT NULL THEN
    FOR v_child IN
      SELECT k.oid FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class k ON k.oid = i.inhrelid
      WHERE i.inhparent = '"public"."statistics_daily_users"'::regclass
        AND pg_catalog.pg_get_expr(k.relpartbound, k.oid) IN (v_newest_bound, CASE WHEN v_default IS NOT NULL THEN 'DEFAULT' END)
    LOOP
      EXECUTE format('ALTER TABLE %s DETACH PARTITION %s', '"public"."statistics_daily_users"'::regclass, v_child.oid::regclass);
      EXECUTE format('DROP TABLE %s', v_child.oid::regclass);
    END LOOP;
    EXECUTE format('ALTER TABLE %s RENAME TO %I', v_newest::regclass, v_newest_name);
    EXECUTE format('ALTER TABLE %s ATTACH PARTITION %s %s', '"public"."statistics_daily_users"'::regclass, v_newest::regclass, v_newest_bound);
    IF v_default IS NOT NULL THEN
      EXECUTE format('ALTER TABLE %s RENAME TO %I', v_default::regclass, v_default_name);
      EXECUTE format('ALTER TABLE %s ATTACH PARTITION %s DEFAULT', '"public"."statistics_daily_users"'::regclass, v_default::regclass);
    END IF;
  END IF;
  -- The children the table had keep their names, and so does the set: the first of pg_partman's
  -- namings that names every one of them becomes the set's datetime_string, and the partitions
  -- create_parent just made are named that way too.
  SELECT datetime_string INTO v_datetime_string FROM "partman"."part_config" WHERE parent_table = 'public.statistics_daily_users';
  IF v_children_before IS NOT NULL AND v_datetime_string IS NOT NULL THEN
    SELECT d.naming INTO v_naming
    FROM unnest(ARRAY['YYYY','YYYY_MM','YYYY_MM_DD','YYYY_MM_DD_HH24MI','YYYY_MM_DD_HH24MISS','YYYYMMDD','YYYYMMDD_HH24MISS']::text[]) WITH ORDINALITY d(naming, position)
    WHERE NOT EXISTS (
      SELECT 1
      FROM unnest(v_children_before) c(oid)
      JOIN pg_catalog.pg_class k ON k.oid = c.oid
      CROSS JOIN LATERAL regexp_match(pg_catalog.pg_get_expr(k.relpartbound, k.oid), '^FOR VALUES FROM \(''([0-9][^'']*)''\) TO') b(bound)
      WHERE b.bound IS NULL
         OR k.relname::text <> "partman"."check_name_length"('statistics_daily_users', to_char(b.bound[1]::timestamptz, d.naming), true))
    ORDER BY d.position
    LIMIT 1;
    IF v_naming IS NULL THEN
      RAISE NOTICE 'liquibase-partman: % keeps its % partitions; their names follow none of pg_partman''s namings, so new partitions are named %', 'public.statistics_daily_users', cardinality(v_children_before), v_datetime_string;
    ELSIF v_naming <> v_datetime_string THEN
      UPDATE "partman"."part_config" SET datetime_string = v_naming WHERE parent_table = 'public.statistics_daily_users';
      FOR v_child IN
        SELECT k.oid, b.bound[1] AS lower_bound
        FROM pg_catalog.pg_inherits i
        JOIN pg_catalog.pg_class k ON k.oid = i.inhrelid
        CROSS JOIN LATERAL regexp_match(pg_catalog.pg_get_expr(k.relpartbound, k.oid), '^FOR VALUES FROM \(''([0-9][^'']*)''\) TO') b(bound)
        WHERE i.inhparent = '"public"."statistics_daily_users"'::regclass AND k.oid <> ALL (v_children_before) AND b.bound IS NOT NULL
      LOOP
        EXECUTE format('ALTER TABLE %s RENAME TO %I', v_child.oid::regclass,
                       "partman"."check_name_length"('statistics_daily_users', to_char(v_child.lower_bound::timestamptz, v_naming), true));
      END LOOP;
      RAISE NOTICE 'liquibase-partman: % keeps its % partitions and their naming (datetime_string %)', 'public.statistics_daily_users', cardinality(v_children_before), v_naming;
    END IF;
  END IF;
  PERFORM set_config('TimeZone', v_session_time_zone, true);
  INSERT INTO "public"."partman_change_undo" (change_key, parent_table, action)
  VALUES ('createPartmanParent::statistics_daily_users', 'public.statistics_daily_users', 'registered')
  ON CONFLICT (change_key, parent_table) DO NOTHING;
END IF;
END;
$partman$