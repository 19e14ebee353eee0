DO $partman$
DECLARE
  v_parent_name text := '"public"."statistics_daily_users"';
  v_parent regclass;
  v_config record;
  v_kind text;
  v_default regclass;
  v_default_name text;
  v_control_type text;
  v_columns text;
  v_tablespace text := '';
  v_pending text := 'partman_repartition_' || pg_backend_pid();
  v_batch_size bigint := 50000;
  v_lock_timeout text := '100ms';
  v_saved_lock_timeout text := current_setting('lock_timeout');
  v_lock_started timestamptz;
  v_stale text;
  v_pass int := 0;
  v_nulls bigint;
  v_infinite bigint;
  v_min text;
  v_max text;
  v_max_id numeric;
  v_child_max numeric;
  v_bound text;
  v_bounds text[];
  v_lows text[];
  v_highs text[];
  v_names text[];
  v_counts bigint[];
  v_name text;
  v_exists boolean;
  v_suffix text;
  v_problems text[];
  v_first int;
  v_last int;
  v_batch_rows bigint;
  v_planned bigint;
  v_moved_in_pass bigint;
  v_batch_moved bigint;
  v_moved bigint := 0;
  v_batches int := 0;
  v_created text[] := '{}';
  v_condition text;
  v_move text;
  v_failure text;
BEGIN
IF current_setting('server_version_num')::int < 120000 THEN
  RAISE EXCEPTION 'repartitionDefault needs PostgreSQL 12 or later (ATTACH PARTITION without an exclusive lock on the parent)';
END IF;
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
IF to_regclass('"public"."statistics_daily_users"') IS NULL THEN
  RAISE EXCEPTION 'table public.statistics_daily_users does not exist' USING HINT = 'Create it with PARTITION BY RANGE (or LIST) before this change.';
END IF;
IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_partitioned_table WHERE partrelid = to_regclass('"public"."statistics_daily_users"')) THEN
  RAISE EXCEPTION 'table public.statistics_daily_users is not partitioned' USING HINT = 'pg_partman manages tables declared with PARTITION BY RANGE (or LIST); recreate the table partitioned and move its rows.';
END IF;
IF NOT EXISTS (SELECT 1 FROM "partman"."part_config" WHERE parent_table = 'public.statistics_daily_users') THEN
  RAISE EXCEPTION 'table public.statistics_daily_users is not managed by pg_partman' USING HINT = 'Register it first with a createPartmanParent change.';
END IF;
PERFORM set_config('TimeZone', 'UTC', true);
PERFORM set_config('DateStyle', 'ISO, YMD', true);
v_parent := v_parent_name::regclass;
SELECT * INTO v_config FROM "partman"."part_config" WHERE parent_table = 'public.statistics_daily_users';
SELECT general_type INTO v_kind FROM "partman"."check_control_type"('public', 'statistics_daily_users', v_config.control);
IF v_kind IS DISTINCT FROM 'time' AND v_kind IS DISTINCT FROM 'id' OR v_config.epoch <> 'none'
   OR v_config.partition_type NOT IN ('native', 'range')
   OR EXISTS (SELECT 1 FROM "partman"."part_config_sub" WHERE sub_parent = 'public.statistics_daily_users') THEN
  RAISE EXCEPTION 'repartitionDefault moves rows of range partitions on a time or integer column; % is partitioned by % (type %, epoch %, sub-partitioned: %)',
    'public.statistics_daily_users', v_config.control, v_config.partition_type, v_config.epoch, EXISTS (SELECT 1 FROM "partman"."part_config_sub" WHERE sub_parent = 'public.statistics_daily_users')
    USING HINT = 'Use pg_partman''s partition_data_proc for this table.';
END IF;
SELECT c.oid, format('%I.%I', n.nspname, c.relname) INTO v_default, v_default_name
  FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE i.inhparent = v_parent AND pg_catalog.pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT';
IF v_default IS NULL THEN
  RAISE NOTICE 'liquibase-partman: repartitionDefault %: there is no DEFAULT partition, nothing to move', 'public.statistics_daily_users';
  RETURN;
END IF;
SELECT format_type(a.atttypid, a.atttypmod) INTO v_control_type FROM pg_catalog.pg_attribute a
  WHERE a.attrelid = v_parent AND a.attname = v_config.control;
SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO v_columns FROM pg_catalog.pg_attribute a
  WHERE a.attrelid = v_parent AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '';
SELECT ' TABLESPACE ' || quote_ident(t.spcname) INTO v_tablespace FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_tablespace t ON t.oid = c.reltablespace WHERE c.oid = v_parent;
v_tablespace := coalesce(v_tablespace, '');

-- A constraint left on the DEFAULT by a run that was killed refuses rows of its ranges until removed.
FOREACH v_stale IN ARRAY ARRAY(SELECT conname FROM pg_catalog.pg_constraint
    WHERE conrelid = v_default AND starts_with(conname, 'partman_repartition_')) LOOP
  IF substring(v_stale from '[0-9]+$')::int <> pg_backend_pid()
     AND EXISTS (SELECT 1 FROM pg_catalog.pg_stat_activity WHERE pid = substring(v_stale from '[0-9]+$')::int) THEN
    RAISE EXCEPTION 'another repartitionDefault (backend %) is moving the rows of %', substring(v_stale from '[0-9]+$'), v_default_name
      USING HINT = 'Wait for it to finish, or end that session with pg_terminate_backend() and run this again.';
  END IF;
  v_lock_started := clock_timestamp();
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', v_lock_timeout, true);
      EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', v_default_name);
      PERFORM set_config('lock_timeout', v_saved_lock_timeout, true);
      EXIT;
    EXCEPTION WHEN lock_not_available THEN
      IF clock_timestamp() - v_lock_started > interval '1 minute' THEN
        RAISE EXCEPTION 'repartitionDefault could not lock % within a minute (lockTimeout %); sessions holding locks on it: %',
          v_default_name, v_lock_timeout, (SELECT string_agg(DISTINCT l.pid::text, ', ') FROM pg_catalog.pg_locks l
            WHERE l.relation IN (v_default) AND l.granted AND l.pid <> pg_backend_pid())
          USING HINT = 'Run it again when those sessions are done, or raise lockTimeout.';
      END IF;
      PERFORM pg_sleep(0.01 + random() * 0.04);
    END;
  END LOOP;
  EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', v_default_name, v_stale);
  RAISE NOTICE 'liquibase-partman: repartitionDefault %: removed constraint % left on % by an interrupted run', 'public.statistics_daily_users', v_stale, v_default_name;
  COMMIT;
  PERFORM set_config('TimeZone', 'UTC', true);
  PERFORM set_config('DateStyle', 'ISO, YMD', true);
END LOOP;

LOOP
  v_pass := v_pass + 1;
  -- Plan: the child ranges that hold rows, as pg_partman would bound and name them.
  IF v_kind = 'time' THEN
    EXECUTE format('SELECT count(*) FILTER (WHERE %1$I IS NULL), count(*) FILTER (WHERE NOT isfinite(%1$I)), '
        'min(%1$I) FILTER (WHERE isfinite(%1$I))::text, max(%1$I) FILTER (WHERE isfinite(%1$I))::text FROM ONLY %2$s',
        v_config.control, v_default_name)
      INTO v_nulls, v_infinite, v_min, v_max;
    v_bounds := '{}';
    IF v_min IS NOT NULL THEN
      SELECT suffix_timestamp::text INTO v_bound FROM "partman"."show_partition_name"('public.statistics_daily_users', v_min);
      LOOP
        v_bounds := v_bounds || v_bound;
        v_bound := (v_bound::timestamptz + v_config.partition_interval::interval)::text;
        EXIT WHEN v_bound::timestamptz > v_max::timestamptz;
        IF cardinality(v_bounds) >= 100000 THEN
          RAISE EXCEPTION 'the rows of % span more than 100000 partitions (% from % to %)', v_default_name, v_config.control, v_min, v_max
            USING HINT = 'Delete the rows with far-off values first.';
        END IF;
      END LOOP;
    END IF;
    -- The bounds are cast once (a sub-select), not once per row.
    EXECUTE format('SELECT array_agg($1[b] ORDER BY b), array_agg(n ORDER BY b) FROM '
        '(SELECT width_bucket(%1$I, (SELECT $1::%3$s[])) AS b, count(*) AS n FROM ONLY %2$s WHERE isfinite(%1$I) GROUP BY 1) s',
        v_config.control, v_default_name, v_control_type)
      INTO v_lows, v_counts USING v_bounds;
  ELSE
    EXECUTE format('SELECT array_agg(lo::text ORDER BY lo) FILTER (WHERE lo IS NOT NULL), array_agg(n ORDER BY lo) FILTER (WHERE lo IS NOT NULL), '
        'coalesce(sum(n) FILTER (WHERE lo IS NULL), 0), max(top) FROM '
        '(SELECT %1$I - %1$I %% $1 AS lo, count(*) AS n, max(%1$I) AS top FROM ONLY %2$s GROUP BY 1) s',
        v_config.control, v_default_name)
      INTO v_lows, v_counts, v_nulls, v_max_id USING v_config.partition_interval::bigint;
    v_infinite := 0;
    IF v_config.retention IS NOT NULL THEN
      -- pg_partman's retention measures from the largest value in the newest child that has rows.
      FOR v_name IN SELECT format('%I.%I', partition_schemaname, partition_tablename) FROM "partman"."show_partitions"('public.statistics_daily_users', 'DESC') LOOP
        EXECUTE format('SELECT max(%I) FROM %s', v_config.control, v_name) INTO v_child_max;
        EXIT WHEN v_child_max IS NOT NULL;
      END LOOP;
      v_max_id := greatest(v_max_id, v_child_max);
    END IF;
  END IF;
  v_lows := coalesce(v_lows, '{}');
  v_highs := '{}';
  v_names := '{}';
  v_problems := '{}';
  IF v_nulls > 0 THEN
    v_problems := v_problems || format('%s row(s) with %I NULL, which no range partition takes', v_nulls, v_config.control);
  END IF;
  IF v_infinite > 0 THEN
    v_problems := v_problems || format('%s row(s) with %I infinity or -infinity, which no partition bound reaches', v_infinite, v_config.control);
  END IF;
  FOR k IN 1 .. cardinality(v_lows) LOOP
    v_highs := v_highs || CASE v_kind WHEN 'time' THEN (v_lows[k]::timestamptz + v_config.partition_interval::interval)::text
                                      ELSE (v_lows[k]::numeric + v_config.partition_interval::numeric)::text END;
    SELECT partition_table, table_exists, coalesce(suffix_timestamp::text, suffix_id::text)
      INTO v_name, v_exists, v_suffix FROM "partman"."show_partition_name"('public.statistics_daily_users', v_lows[k]);
    IF (CASE v_kind WHEN 'time' THEN v_suffix::timestamptz <> v_lows[k]::timestamptz ELSE v_suffix::numeric <> v_lows[k]::numeric END) THEN
      RAISE EXCEPTION 'pg_partman bounds the partition for % at %, not at % as computed', v_lows[k], v_suffix, v_lows[k];
    END IF;
    v_names := v_names || v_name;
    IF v_exists THEN
      v_problems := v_problems || format('%s row(s) with %I from %s to before %s, but a table named %I.%I already exists (detached, or bounded otherwise)',
          v_counts[k], v_config.control, v_lows[k], v_highs[k], 'public', v_name);
    ELSIF v_config.retention IS NOT NULL AND (CASE v_kind
        WHEN 'time' THEN v_highs[k]::timestamptz < now() - v_config.retention::interval
        ELSE v_max_id - v_highs[k]::numeric >= v_config.retention::numeric END) THEN
      v_problems := v_problems || format('%s row(s) with %I from %s to before %s, older than the retention (%s): the next maintenance would drop or detach their partition',
          v_counts[k], v_config.control, v_lows[k], v_highs[k], v_config.retention);
    END IF;
  END LOOP;
  IF cardinality(v_problems) > 0 THEN
    RAISE EXCEPTION 'repartitionDefault cannot place every row of %: %', v_default_name, array_to_string(v_problems, '; ')
      USING HINT = 'Delete those rows or move them elsewhere (or change the retention), then run it again. Nothing was moved in this pass.';
  END IF;
  EXIT WHEN cardinality(v_lows) = 0;
  IF v_pass > 10 THEN
    RAISE EXCEPTION 'rows keep arriving in % for partitions that do not exist (pass %)', v_default_name, v_pass
      USING HINT = 'Raise premake so that their partitions exist before they arrive, then run it again.';
  END IF;
  v_planned := (SELECT sum(n) FROM unnest(v_counts) n);
  v_moved_in_pass := 0;

  -- Batches of whole child ranges, up to batchSize rows (a larger range moves alone).
  v_first := 1;
  WHILE v_first <= cardinality(v_lows) LOOP
    v_last := v_first;
    v_batch_rows := v_counts[v_first];
    WHILE v_last < cardinality(v_lows) AND v_batch_rows + v_counts[v_last + 1] <= v_batch_size LOOP
      v_last := v_last + 1;
      v_batch_rows := v_batch_rows + v_counts[v_last];
    END LOOP;
    SELECT string_agg(format('(%1$I >= %2$L::%4$s AND %1$I < %3$L::%4$s)', v_config.control, v_lows[k], v_highs[k], v_control_type), ' OR ')
      INTO v_condition FROM generate_series(v_first, v_last) k;

    -- From here on rows of these ranges can no longer enter the DEFAULT.
    v_lock_started := clock_timestamp();
    LOOP
      BEGIN
        PERFORM set_config('lock_timeout', v_lock_timeout, true);
        EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', v_default_name);
        PERFORM set_config('lock_timeout', v_saved_lock_timeout, true);
        EXIT;
      EXCEPTION WHEN lock_not_available THEN
        IF clock_timestamp() - v_lock_started > interval '1 minute' THEN
          RAISE EXCEPTION 'repartitionDefault could not lock % within a minute (lockTimeout %); sessions holding locks on it: %',
            v_default_name, v_lock_timeout, (SELECT string_agg(DISTINCT l.pid::text, ', ') FROM pg_catalog.pg_locks l
              WHERE l.relation IN (v_default) AND l.granted AND l.pid <> pg_backend_pid())
            USING HINT = 'Run it again when those sessions are done, or raise lockTimeout.';
        END IF;
        PERFORM pg_sleep(0.01 + random() * 0.04);
      END;
    END LOOP;
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I CHECK (NOT (%s)) NOT VALID', v_default_name, v_pending, v_condition);
    COMMIT;
    PERFORM set_config('TimeZone', 'UTC', true);
    PERFORM set_config('DateStyle', 'ISO, YMD', true);
    v_failure := NULL;
    BEGIN
      v_move := format('WITH moved AS (DELETE FROM ONLY %s WHERE %s RETURNING %s)', v_default_name, v_condition, v_columns);
      FOR k IN v_first .. v_last LOOP
        EXECUTE format('CREATE TABLE %I.%I (LIKE %s INCLUDING COMMENTS INCLUDING CONSTRAINTS INCLUDING DEFAULTS INCLUDING GENERATED INCLUDING INDEXES, '
            'CONSTRAINT partman_repartition_bounds CHECK (%I IS NOT NULL AND %I >= %L::%s AND %I < %L::%s))%s',
            'public', v_names[k], v_parent_name, v_config.control, v_config.control, v_lows[k], v_control_type,
            v_config.control, v_highs[k], v_control_type, v_tablespace);
        IF v_config.template_table IS NOT NULL THEN
          PERFORM "partman"."inherit_template_properties"('public.statistics_daily_users', 'public', v_names[k]);
        END IF;
        IF v_config.inherit_privileges THEN
          PERFORM "partman"."apply_privileges"('public', 'statistics_daily_users', 'public', v_names[k]);
        END IF;
        v_move := v_move || format(', c%s AS (INSERT INTO %I.%I (%s) SELECT %s FROM moved WHERE %I >= %L::%s AND %I < %L::%s)',
            k, 'public', v_names[k], v_columns, v_columns, v_config.control, v_lows[k], v_control_type,
            v_config.control, v_highs[k], v_control_type);
      END LOOP;
      -- Deleted from the DEFAULT and inserted into the children in one statement: readers see
      -- the rows in the DEFAULT until this transaction ends, then in their partitions.
      EXECUTE v_move || ' SELECT count(*) FROM moved' INTO v_batch_moved;
      -- Scans the DEFAULT while readers and writers go on (SHARE UPDATE EXCLUSIVE).
      EXECUTE format('ALTER TABLE %s VALIDATE CONSTRAINT %I', v_default_name, v_pending);
      v_lock_started := clock_timestamp();
      LOOP
        BEGIN
          PERFORM set_config('lock_timeout', v_lock_timeout, true);
          EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', v_parent_name);
          EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', v_default_name);
          PERFORM set_config('lock_timeout', v_saved_lock_timeout, true);
          EXIT;
        EXCEPTION WHEN lock_not_available THEN
          IF clock_timestamp() - v_lock_started > interval '1 minute' THEN
            RAISE EXCEPTION 'repartitionDefault could not lock % within a minute (lockTimeout %); sessions holding locks on it: %',
              v_parent_name || ' and ' || v_default_name, v_lock_timeout, (SELECT string_agg(DISTINCT l.pid::text, ', ') FROM pg_catalog.pg_locks l
                WHERE l.relation IN (v_parent, v_default) AND l.granted AND l.pid <> pg_backend_pid())
              USING HINT = 'Run it again when those sessions are done, or raise lockTimeout.';
          END IF;
          PERFORM pg_sleep(0.01 + random() * 0.04);
        END;
      END LOOP;
      FOR k IN v_first .. v_last LOOP
        EXECUTE format('ALTER TABLE %s ATTACH PARTITION %I.%I FOR VALUES FROM (%L) TO (%L)',
            v_parent_name, 'public', v_names[k], v_lows[k], v_highs[k]);
        EXECUTE format('ALTER TABLE %I.%I DROP CONSTRAINT partman_repartition_bounds', 'public', v_names[k]);
        PERFORM "partman"."inherit_replica_identity"('public', 'statistics_daily_users', v_names[k]);
      END LOOP;
      EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', v_default_name, v_pending);
    EXCEPTION WHEN OTHERS THEN
      v_failure := SQLERRM;
    END;
    IF v_failure IS NOT NULL THEN
      v_lock_started := clock_timestamp();
      LOOP
        BEGIN
          PERFORM set_config('lock_timeout', v_lock_timeout, true);
          EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', v_default_name);
          PERFORM set_config('lock_timeout', v_saved_lock_timeout, true);
          EXIT;
        EXCEPTION WHEN lock_not_available THEN
          IF clock_timestamp() - v_lock_started > interval '1 minute' THEN
            RAISE EXCEPTION 'repartitionDefault could not lock % within a minute (lockTimeout %); sessions holding locks on it: %',
              v_default_name, v_lock_timeout, (SELECT string_agg(DISTINCT l.pid::text, ', ') FROM pg_catalog.pg_locks l
                WHERE l.relation IN (v_default) AND l.granted AND l.pid <> pg_backend_pid())
              USING HINT = 'Run it again when those sessions are done, or raise lockTimeout.';
          END IF;
          PERFORM pg_sleep(0.01 + random() * 0.04);
        END;
      END LOOP;
      EXECUTE format('ALTER TABLE %s DROP CONSTRAINT IF EXISTS %I', v_default_name, v_pending);
      COMMIT;
      PERFORM set_config('TimeZone', 'UTC', true);
      PERFORM set_config('DateStyle', 'ISO, YMD', true);
      RAISE EXCEPTION 'repartitionDefault could not move the rows of % with % from % to before %: %',
        v_default_name, v_config.control, v_lows[v_first], v_highs[v_last], v_failure
        USING HINT = 'The rows of this batch are still in the DEFAULT; earlier batches were moved. Remove the cause and run it again.';
    END IF;
    v_batches := v_batches + 1;
    v_moved := v_moved + v_batch_moved;
    v_moved_in_pass := v_moved_in_pass + v_batch_moved;
    v_created := v_created || v_names[v_first:v_last];
    RAISE NOTICE 'liquibase-partman: repartitionDefault %: batch %: % rows into % partition(s) %..%; % rows moved, % left',
      'public.statistics_daily_users', v_batches, v_batch_moved, v_last - v_first + 1, v_names[v_first], v_names[v_last], v_moved,
      greatest(v_planned - v_moved_in_pass, 0);
    COMMIT;
    PERFORM set_config('TimeZone', 'UTC', true);
    PERFORM set_config('DateStyle', 'ISO, YMD', true);
    v_first := v_last + 1;
  END LOOP;
END LOOP;
IF v_config.constraint_cols IS NOT NULL AND cardinality(v_created) > 0 THEN
  PERFORM "partman"."apply_constraints"(p_parent_table := 'public.statistics_daily_users');
END IF;
RAISE NOTICE 'liquibase-partman: repartitionDefault %: % rows moved into % new partition(s) in % batch(es); % is empty',
  'public.statistics_daily_users', v_moved, cardinality(v_created), v_batches, v_default_name;
END;
$partman$