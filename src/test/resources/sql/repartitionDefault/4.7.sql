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
  v_log_columns text;
  v_old_values text;
  v_new_values text;
  v_match text;
  v_tablespace text := '';
  v_run text := 'partman_repartition_' || pg_backend_pid();
  v_cleaning text;
  v_staging text;
  v_log text;
  v_function text;
  v_batch_size bigint := 50000;
  v_fill_gaps boolean := true;
  v_lock_timeout text := '100ms';
  v_saved_lock_timeout text := current_setting('lock_timeout');
  v_lock_started timestamptz;
  v_holders text;
  v_bounded regclass;
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
  v_step text;
  v_end text;
  v_name text;
  v_exists boolean;
  v_suffix text;
  v_problems text[];
  v_cuts text[];
  v_extend boolean;
  v_slice_lows text[];
  v_slice_highs text[];
  v_slice_rows bigint[];
  v_slice_key_lows text[];
  v_slice_key_highs text[];
  v_slice text;
  v_key text;
  v_key_order text;
  v_key_literal text;
  v_outside_plan text;
  v_copied text;
  v_route text;
  v_target text;
  v_orphan text;
  v_planned bigint;
  v_rows bigint;
  v_copied_rows bigint;
  v_changes bigint;
  v_applied bigint;
  v_entry bigint;
  v_entry_deletes boolean;
  v_found_table text;
  v_found_row tid;
  v_rest bigint;
  v_copies int := 0;
  v_created text[] := '{}';
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
IF EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE contype = 'f' AND confrelid IN (v_parent, v_default)) THEN
  RAISE EXCEPTION 'repartitionDefault empties % with TRUNCATE, which the foreign keys referencing % forbid', v_default_name, v_parent_name
    USING HINT = 'Use pg_partman''s partition_data_proc for this table.';
END IF;
SELECT format_type(a.atttypid, a.atttypmod) INTO v_control_type FROM pg_catalog.pg_attribute a
  WHERE a.attrelid = v_parent AND a.attname = v_config.control;
-- The log holds each logged row's columns, with their collations (a slice's key orders log entries
-- as it orders rows); a logged deletion finds its copy by comparing them all (= where it can, so
-- that the partitions' indexes serve; as text for types whose = is not equality).
SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum),
       string_agg(format('%I %s', a.attname, format_type(a.atttypid, a.atttypmod))
                  || CASE WHEN co.oid IS NULL THEN '' ELSE format(' COLLATE %I.%I', cn.nspname, co.collname) END, ', ' ORDER BY a.attnum),
       string_agg('OLD.' || quote_ident(a.attname), ', ' ORDER BY a.attnum),
       string_agg('NEW.' || quote_ident(a.attname), ', ' ORDER BY a.attnum),
       string_agg(format(CASE WHEN b.typname IN ('json', 'xml', 'point', 'line', 'lseg', 'box', 'path', 'polygon', 'circle')
                                OR b.typelem <> 0 AND e.typname IN ('json', 'xml', 'point', 'line', 'lseg', 'box', 'path', 'polygon', 'circle')
                              THEN 's.%1$I::text IS NOT DISTINCT FROM e.%1$I::text'
                              WHEN a.attnotnull THEN 's.%1$I = e.%1$I' ELSE 's.%1$I IS NOT DISTINCT FROM e.%1$I' END, a.attname), ' AND ' ORDER BY a.attnum)
  INTO v_columns, v_log_columns, v_old_values, v_new_values, v_match
  FROM pg_catalog.pg_attribute a
  JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
  JOIN pg_catalog.pg_type b ON b.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
  LEFT JOIN pg_catalog.pg_type e ON e.oid = b.typelem
  LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
  LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
  WHERE a.attrelid = v_parent AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '';
-- A range with more rows than batchSize is copied in slices of this key: the columns of the primary key
-- (or of a unique index on NOT NULL columns), in its order, so that the index finds each slice; without
-- one, the control column and then the whole row as text. Rows with equal keys stay in one slice.
-- v_key_literal is an expression that writes a row's key as SQL, to bound a slice with.
SELECT format('ROW(%s)', string_agg(quote_ident(a.attname), ', ' ORDER BY k.position)),
       string_agg(quote_ident(a.attname), ', ' ORDER BY k.position),
       format('format(%L, %s)', format('ROW(%s)', string_agg('%L::' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY k.position)),
           string_agg(quote_ident(a.attname), ', ' ORDER BY k.position))
  INTO v_key, v_key_order, v_key_literal
  FROM (SELECT i.indexrelid FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class x ON x.oid = i.indexrelid
          JOIN pg_catalog.pg_am m ON m.oid = x.relam AND m.amname = 'btree'
          WHERE i.indrelid = v_default AND i.indisunique AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL
            AND NOT EXISTS (SELECT 1 FROM unnest(i.indkey::int2[]) c JOIN pg_catalog.pg_attribute ca ON ca.attrelid = v_default AND ca.attnum = c
                            WHERE NOT ca.attnotnull OR ca.attgenerated <> '')
          ORDER BY i.indisprimary DESC, i.indnkeyatts, i.indexrelid LIMIT 1) u
  JOIN pg_catalog.pg_index i ON i.indexrelid = u.indexrelid,
  LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, position)
  JOIN pg_catalog.pg_attribute a ON a.attrelid = v_default AND a.attnum = k.attnum
  WHERE k.position <= i.indnkeyatts
  HAVING count(*) > 0;
IF v_key IS NULL THEN
  v_key := format('ROW(%I, ROW(%s)::text COLLATE "C")', v_config.control, v_columns);
  v_key_order := format('%I, ROW(%s)::text COLLATE "C"', v_config.control, v_columns);
  v_key_literal := format('format(%L, %I, ROW(%s)::text)', 'ROW(%L::' || v_control_type || ', %L COLLATE "C")', v_config.control, v_columns);
END IF;
SELECT ' TABLESPACE ' || quote_ident(t.spcname) INTO v_tablespace FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_tablespace t ON t.oid = c.reltablespace WHERE c.oid = v_parent;
v_tablespace := coalesce(v_tablespace, '');

-- What a killed run left (its trigger on the DEFAULT, named after its backend, and the tables and
-- function named alike) holds copies only: the rows are still in the DEFAULT.
FOREACH v_cleaning IN ARRAY ARRAY(SELECT tgname::text FROM pg_catalog.pg_trigger
    WHERE tgrelid = v_default AND starts_with(tgname, 'partman_repartition_')) LOOP
  IF substring(v_cleaning from '[0-9]+$')::int <> pg_backend_pid()
     AND EXISTS (SELECT 1 FROM pg_catalog.pg_stat_activity WHERE pid = substring(v_cleaning from '[0-9]+$')::int) THEN
    RAISE EXCEPTION 'another repartitionDefault (backend %) is moving the rows of %', substring(v_cleaning from '[0-9]+$'), v_default_name
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
        RAISE EXCEPTION 'repartitionDefault could not take % within a minute (lockTimeout %); sessions holding it: %',
          v_default_name, v_lock_timeout, (SELECT string_agg(DISTINCT l.pid::text, ', ') FROM pg_catalog.pg_locks l
            WHERE (l.relation IN (v_parent, v_default)) AND l.granted AND l.pid <> pg_backend_pid())
          USING HINT = 'Run it again when those sessions are done, or raise lockTimeout.';
      END IF;
      PERFORM pg_sleep(0.01 + random() * 0.04);
    END;
  END LOOP;
  EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', v_cleaning, v_default_name);
  EXECUTE format('DROP TABLE IF EXISTS %I.%I, %I.%I', 'public', v_cleaning, 'public', v_cleaning || '_log');
  EXECUTE format('DROP FUNCTION IF EXISTS %I.%I()', 'public', v_cleaning);
  FOR v_orphan IN SELECT c.conrelid::regclass::text FROM pg_catalog.pg_constraint c
      WHERE c.conname = 'partman_repartition_bounds' AND c.connamespace = (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = 'public')
        AND pg_catalog.obj_description(c.oid, 'pg_constraint') = v_cleaning
        AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i WHERE i.inhrelid = c.conrelid) LOOP
    EXECUTE format('DROP TABLE %s', v_orphan);
  END LOOP;
  RAISE NOTICE 'liquibase-partman: repartitionDefault %: removed what an interrupted run left (%)', 'public.statistics_daily_users', v_cleaning;
  COMMIT;
  PERFORM set_config('TimeZone', 'UTC', true);
  PERFORM set_config('DateStyle', 'ISO, YMD', true);
END LOOP;

-- Bounds constraints left on attached partitions by a run killed right after its swap.
FOR v_bounded IN SELECT c.conrelid::regclass FROM pg_catalog.pg_constraint c JOIN pg_catalog.pg_inherits i ON i.inhrelid = c.conrelid
    WHERE i.inhparent = v_parent AND c.conname = 'partman_repartition_bounds' LOOP
  v_lock_started := clock_timestamp();
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', v_lock_timeout, true);
      EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', v_bounded);
      PERFORM set_config('lock_timeout', v_saved_lock_timeout, true);
      EXIT;
    EXCEPTION WHEN lock_not_available THEN
      IF clock_timestamp() - v_lock_started > interval '1 minute' THEN
        RAISE EXCEPTION 'repartitionDefault could not take % within a minute (lockTimeout %); sessions holding it: %',
          v_bounded::text, v_lock_timeout, (SELECT string_agg(DISTINCT l.pid::text, ', ') FROM pg_catalog.pg_locks l
            WHERE (l.relation = v_bounded) AND l.granted AND l.pid <> pg_backend_pid())
          USING HINT = 'Run it again when those sessions are done, or raise lockTimeout.';
      END IF;
      PERFORM pg_sleep(0.01 + random() * 0.04);
    END;
  END LOOP;
  EXECUTE format('ALTER TABLE %s DROP CONSTRAINT partman_repartition_bounds', v_bounded);
  COMMIT;
  PERFORM set_config('TimeZone', 'UTC', true);
  PERFORM set_config('DateStyle', 'ISO, YMD', true);
END LOOP;

v_staging := format('%I.%I', 'public', v_run);
v_log := format('%I.%I', 'public', v_run || '_log');
v_function := format('%I.%I', 'public', v_run);
v_cleaning := v_run;
LOOP
  v_pass := v_pass + 1;
  -- From here on every change to the DEFAULT's rows is logged (writers wait for this lock a moment).
  v_lock_started := clock_timestamp();
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', v_lock_timeout, true);
      EXECUTE format('LOCK TABLE %s IN SHARE ROW EXCLUSIVE MODE', v_default_name);
      PERFORM set_config('lock_timeout', v_saved_lock_timeout, true);
      EXIT;
    EXCEPTION WHEN lock_not_available THEN
      IF clock_timestamp() - v_lock_started > interval '1 minute' THEN
        RAISE EXCEPTION 'repartitionDefault could not take % within a minute (lockTimeout %); sessions holding it: %',
          v_default_name, v_lock_timeout, (SELECT string_agg(DISTINCT l.pid::text, ', ') FROM pg_catalog.pg_locks l
            WHERE (l.relation IN (v_parent, v_default)) AND l.granted AND l.pid <> pg_backend_pid())
          USING HINT = 'Run it again when those sessions are done, or raise lockTimeout.';
      END IF;
      PERFORM pg_sleep(0.01 + random() * 0.04);
    END;
  END LOOP;
  EXECUTE format('CREATE TABLE %s (LIKE %s INCLUDING GENERATED) PARTITION BY RANGE (%I)', v_staging, v_parent_name, v_config.control);
  EXECUTE format('CREATE TABLE %I.%I PARTITION OF %s DEFAULT', 'public', v_run || '_rest', v_staging);
  EXECUTE format('CREATE UNLOGGED TABLE %s (partman_repartition_entry bigserial PRIMARY KEY, partman_repartition_delete boolean NOT NULL, %s)',
      v_log, v_log_columns);
  EXECUTE format('CREATE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS %L',
      v_function, format('BEGIN '
          'IF TG_OP <> ''INSERT'' THEN INSERT INTO %1$s (partman_repartition_delete, %2$s) VALUES (true, %3$s); END IF; '
          'IF TG_OP <> ''DELETE'' THEN INSERT INTO %1$s (partman_repartition_delete, %2$s) VALUES (false, %4$s); END IF; '
          'RETURN NULL; END', v_log, v_columns, v_old_values, v_new_values));
  EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION %s()',
      v_run, v_default_name, v_function);
  COMMIT;
  PERFORM set_config('TimeZone', 'UTC', true);
  PERFORM set_config('DateStyle', 'ISO, YMD', true);

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
  v_counts := coalesce(v_counts, '{}');
  IF v_fill_gaps THEN
    -- Every missing range from the oldest partition (or row) to the newest partition (or row) is
    -- planned too, empty: maintenance only extends after the newest partition, so a hole stays a
    -- hole and its rows would go to the DEFAULT again.
    SELECT coalesce(i.child_start_time::text, i.child_start_id::text) INTO v_step
      FROM "partman"."show_partitions"('public.statistics_daily_users', 'ASC') p,
      LATERAL "partman"."show_partition_info"(format('%I.%I', p.partition_schemaname, p.partition_tablename), p_parent_table := 'public.statistics_daily_users') i LIMIT 1;
    SELECT coalesce(i.child_end_time::text, i.child_end_id::text) INTO v_end
      FROM "partman"."show_partitions"('public.statistics_daily_users', 'DESC') p,
      LATERAL "partman"."show_partition_info"(format('%I.%I', p.partition_schemaname, p.partition_tablename), p_parent_table := 'public.statistics_daily_users') i LIMIT 1;
    IF cardinality(v_lows) > 0 THEN
      v_bound := CASE v_kind WHEN 'time' THEN (v_lows[cardinality(v_lows)]::timestamptz + v_config.partition_interval::interval)::text
                             ELSE (v_lows[cardinality(v_lows)]::numeric + v_config.partition_interval::numeric)::text END;
      IF v_step IS NULL OR (CASE v_kind WHEN 'time' THEN v_lows[1]::timestamptz < v_step::timestamptz ELSE v_lows[1]::numeric < v_step::numeric END) THEN
        v_step := v_lows[1];
      END IF;
      IF v_end IS NULL OR (CASE v_kind WHEN 'time' THEN v_bound::timestamptz > v_end::timestamptz ELSE v_bound::numeric > v_end::numeric END) THEN
        v_end := v_bound;
      END IF;
    END IF;
    -- Past the limit below the plan is refused anyway: no need to count every missing range.
    WHILE cardinality(v_lows) <= 1000 AND v_step IS NOT NULL AND (CASE v_kind WHEN 'time' THEN v_step::timestamptz < v_end::timestamptz ELSE v_step::numeric < v_end::numeric END) LOOP
      IF NOT (CASE v_kind WHEN 'time' THEN v_step::timestamptz = ANY (v_lows::timestamptz[]) ELSE v_step::numeric = ANY (v_lows::numeric[]) END) THEN
        v_lows := v_lows || v_step;
        v_counts := v_counts || 0::bigint;
      END IF;
      v_step := CASE v_kind WHEN 'time' THEN (v_step::timestamptz + v_config.partition_interval::interval)::text
                            ELSE (v_step::numeric + v_config.partition_interval::numeric)::text END;
    END LOOP;
    SELECT array_agg(l ORDER BY CASE v_kind WHEN 'time' THEN extract(epoch FROM l::timestamptz) ELSE l::numeric END),
           array_agg(n ORDER BY CASE v_kind WHEN 'time' THEN extract(epoch FROM l::timestamptz) ELSE l::numeric END)
      INTO v_lows, v_counts FROM unnest(v_lows, v_counts) u(l, n);
    v_lows := coalesce(v_lows, '{}');
    v_counts := coalesce(v_counts, '{}');
  END IF;
  v_bounds := v_lows;
  v_lows := '{}';
  v_highs := '{}';
  v_names := '{}';
  v_problems := '{}';
  v_planned := 0;
  IF v_nulls > 0 THEN
    v_problems := v_problems || format('%s row(s) with %I NULL, which no range partition takes', v_nulls, v_config.control);
  END IF;
  IF v_infinite > 0 THEN
    v_problems := v_problems || format('%s row(s) with %I infinity or -infinity, which no partition bound reaches', v_infinite, v_config.control);
  END IF;
  FOR k IN 1 .. cardinality(v_bounds) LOOP
    v_bound := CASE v_kind WHEN 'time' THEN (v_bounds[k]::timestamptz + v_config.partition_interval::interval)::text
                           ELSE (v_bounds[k]::numeric + v_config.partition_interval::numeric)::text END;
    SELECT partition_table, table_exists, coalesce(suffix_timestamp::text, suffix_id::text)
      INTO v_name, v_exists, v_suffix FROM "partman"."show_partition_name"('public.statistics_daily_users', v_bounds[k]);
    IF (CASE v_kind WHEN 'time' THEN v_suffix::timestamptz <> v_bounds[k]::timestamptz ELSE v_suffix::numeric <> v_bounds[k]::numeric END) THEN
      RAISE EXCEPTION 'pg_partman bounds the partition for % at %, not at % as computed', v_bounds[k], v_suffix, v_bounds[k];
    END IF;
    IF v_exists OR v_config.retention IS NOT NULL AND (CASE v_kind
        WHEN 'time' THEN v_bound::timestamptz < now() - v_config.retention::interval
        ELSE v_max_id - v_bound::numeric >= v_config.retention::numeric END) THEN
      IF v_counts[k] > 0 AND v_exists THEN
        v_problems := v_problems || format('%s row(s) with %I from %s to before %s, but a table named %I.%I already exists (detached, or bounded otherwise)',
            v_counts[k], v_config.control, v_bounds[k], v_bound, 'public', v_name);
      ELSIF v_counts[k] > 0 THEN
        v_problems := v_problems || format('%s row(s) with %I from %s to before %s, older than the retention (%s): the next maintenance would drop or detach their partition',
            v_counts[k], v_config.control, v_bounds[k], v_bound, v_config.retention);
      END IF;
      CONTINUE;
    END IF;
    v_lows := v_lows || v_bounds[k];
    v_highs := v_highs || v_bound;
    v_names := v_names || v_name;
    v_planned := v_planned + v_counts[k];
    v_counts[cardinality(v_lows)] := v_counts[k];
  END LOOP;
  IF cardinality(v_lows) > 1000 THEN
    v_problems := v_problems || format('it would create more than 1000 partitions (from %s), the most one run attaches in its one swap transaction%s',
        v_names[1], CASE WHEN v_fill_gaps THEN ', holes included (fillGaps)' ELSE '' END);
  END IF;
  IF cardinality(v_problems) > 0 OR cardinality(v_lows) = 0 THEN
    v_lock_started := clock_timestamp();
    LOOP
      BEGIN
        PERFORM set_config('lock_timeout', v_lock_timeout, true);
        EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', v_default_name);
        PERFORM set_config('lock_timeout', v_saved_lock_timeout, true);
        EXIT;
      EXCEPTION WHEN lock_not_available THEN
        IF clock_timestamp() - v_lock_started > interval '1 minute' THEN
          RAISE EXCEPTION 'repartitionDefault could not take % within a minute (lockTimeout %); sessions holding it: %',
            v_default_name, v_lock_timeout, (SELECT string_agg(DISTINCT l.pid::text, ', ') FROM pg_catalog.pg_locks l
              WHERE (l.relation IN (v_parent, v_default)) AND l.granted AND l.pid <> pg_backend_pid())
            USING HINT = 'Run it again when those sessions are done, or raise lockTimeout.';
        END IF;
        PERFORM pg_sleep(0.01 + random() * 0.04);
      END;
    END LOOP;
    EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', v_cleaning, v_default_name);
    EXECUTE format('DROP TABLE IF EXISTS %I.%I, %I.%I', 'public', v_cleaning, 'public', v_cleaning || '_log');
    EXECUTE format('DROP FUNCTION IF EXISTS %I.%I()', 'public', v_cleaning);
    FOR v_orphan IN SELECT c.conrelid::regclass::text FROM pg_catalog.pg_constraint c
        WHERE c.conname = 'partman_repartition_bounds' AND c.connamespace = (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = 'public')
          AND pg_catalog.obj_description(c.oid, 'pg_constraint') = v_cleaning
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i WHERE i.inhrelid = c.conrelid) LOOP
      EXECUTE format('DROP TABLE %s', v_orphan);
    END LOOP;
    COMMIT;
    PERFORM set_config('TimeZone', 'UTC', true);
    PERFORM set_config('DateStyle', 'ISO, YMD', true);
  END IF;
  IF cardinality(v_problems) > 0 THEN
    RAISE EXCEPTION 'repartitionDefault cannot place every row of %: %', v_default_name, array_to_string(v_problems, '; ')
      USING HINT = 'Delete those rows or move them elsewhere (or change the retention, or set fillGaps="false"), then run it again. Nothing was moved in this pass.';
  END IF;
  EXIT WHEN cardinality(v_lows) = 0;
  IF v_pass > 10 THEN
    RAISE EXCEPTION 'rows keep arriving in % for partitions that do not exist (pass %)', v_default_name, v_pass
      USING HINT = 'Raise premake so that their partitions exist before they arrive, then run it again.';
  END IF;

  -- Slices to copy, each about batchSize rows at most: whole ranges together, or a range with more
  -- rows cut every batchSize rows in key order (a NULL key bound is open).
  v_slice_lows := '{}';
  v_slice_highs := '{}';
  v_slice_key_lows := '{}';
  v_slice_key_highs := '{}';
  v_slice_rows := '{}';
  v_extend := false;
  FOR k IN 1 .. cardinality(v_lows) LOOP
    IF v_counts[k] > v_batch_size THEN
      EXECUTE format('SELECT array_agg(%1$s ORDER BY partman_repartition_row) FROM (SELECT *, row_number() OVER (ORDER BY %2$s) AS partman_repartition_row '
          'FROM ONLY %3$s WHERE %4$I >= %5$L::%7$s AND %4$I < %6$L::%7$s) s WHERE (partman_repartition_row - 1) %% %8$s = 0 AND partman_repartition_row > 1',
          v_key_literal, v_key_order, v_default_name, v_config.control, v_lows[k], v_highs[k], v_control_type, v_batch_size)
        INTO v_cuts;
      v_cuts := NULL::text || coalesce(v_cuts, '{}') || NULL::text;
      FOR c IN 1 .. cardinality(v_cuts) - 1 LOOP
        v_slice_lows := v_slice_lows || v_lows[k];
        v_slice_highs := v_slice_highs || v_highs[k];
        v_slice_key_lows := v_slice_key_lows || v_cuts[c];
        v_slice_key_highs := v_slice_key_highs || v_cuts[c + 1];
        -- Never 0: rows that arrived since the plan counted them can push older rows into a last slice.
        v_slice_rows := v_slice_rows || greatest(1, least(v_batch_size, v_counts[k] - (c - 1) * v_batch_size));
      END LOOP;
      v_extend := false;
    ELSIF v_extend AND v_slice_rows[cardinality(v_slice_rows)] + v_counts[k] <= v_batch_size THEN
      v_slice_highs[cardinality(v_slice_highs)] := v_highs[k];
      v_slice_rows[cardinality(v_slice_rows)] := v_slice_rows[cardinality(v_slice_rows)] + v_counts[k];
    ELSE
      v_slice_lows := v_slice_lows || v_lows[k];
      v_slice_highs := v_slice_highs || v_highs[k];
      v_slice_key_lows := v_slice_key_lows || NULL::text;
      v_slice_key_highs := v_slice_key_highs || NULL::text;
      v_slice_rows := v_slice_rows || v_counts[k];
      v_extend := true;
    END IF;
  END LOOP;

  -- The partitions, as that version's create_partition_time makes them, in the staging table. The plan's
  -- locks are released first: maintenance may be waiting for them while holding its own lock.
  COMMIT;
  PERFORM set_config('TimeZone', 'UTC', true);
  PERFORM set_config('DateStyle', 'ISO, YMD', true);
  v_lock_started := clock_timestamp();
  WHILE NOT pg_catalog.pg_try_advisory_xact_lock(pg_catalog.hashtext('pg_partman run_maintenance')) LOOP
    -- Without this, pg_stat_activity would show the states it showed first in this transaction.
    PERFORM pg_catalog.pg_stat_clear_snapshot();
    v_holders := (SELECT string_agg(DISTINCT l.pid || ' (' || a.state || ')', ', ') FROM pg_catalog.pg_locks l
        JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.objid = (pg_catalog.hashtext('pg_partman run_maintenance')::bigint & 4294967295)::oid AND l.granted);
    IF v_holders IS NULL OR v_holders NOT LIKE '%(active)%' THEN
      RAISE NOTICE 'liquibase-partman: repartitionDefault %: pg_partman''s maintenance lock is held by session(s) % that run nothing; going on without it',
        'public.statistics_daily_users', v_holders;
      EXIT;
    END IF;
    IF clock_timestamp() - v_lock_started > interval '10 minutes' THEN
      RAISE EXCEPTION 'repartitionDefault waited 10 minutes in vain for pg_partman''s maintenance to finish; sessions holding its lock: %', v_holders
        USING HINT = 'Run it again when that maintenance is done.';
    END IF;
    PERFORM pg_sleep(0.01 + random() * 0.04);
  END LOOP;
  FOR k IN 1 .. cardinality(v_lows) LOOP
    IF to_regclass(format('%I.%I', 'public', v_names[k])) IS NOT NULL THEN
      -- Maintenance made this empty range's partition since the plan (before it held its lock).
      v_names[k] := NULL;
      CONTINUE;
    END IF;
    EXECUTE format('CREATE TABLE %I.%I (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMMENTS INCLUDING GENERATED INCLUDING INDEXES, '
        'CONSTRAINT partman_repartition_bounds CHECK (%I IS NOT NULL AND %I >= %L::%s AND %I < %L::%s))%s',
        'public', v_names[k], v_parent_name, v_config.control, v_config.control, v_lows[k], v_control_type,
        v_config.control, v_highs[k], v_control_type, v_tablespace);
    -- Names the run, so that a killed run's partitions are found once they leave the staging table.
    EXECUTE format('COMMENT ON CONSTRAINT partman_repartition_bounds ON %I.%I IS %L', 'public', v_names[k], v_run);
    IF v_config.template_table IS NOT NULL THEN
      PERFORM "partman"."inherit_template_properties"('public.statistics_daily_users', 'public', v_names[k]);
    END IF;
    IF v_config.inherit_privileges THEN
      PERFORM "partman"."apply_privileges"('public', 'statistics_daily_users', 'public', v_names[k]);
    END IF;
    IF v_config.publications IS NOT NULL THEN
      PERFORM "partman"."apply_publications"('public.statistics_daily_users', 'public', v_names[k]);
    END IF;
    EXECUTE format('ALTER TABLE %s ATTACH PARTITION %I.%I FOR VALUES FROM (%L) TO (%L)', v_staging, 'public', v_names[k], v_lows[k], v_highs[k]);
  END LOOP;
  COMMIT;
  PERFORM set_config('TimeZone', 'UTC', true);
  PERFORM set_config('DateStyle', 'ISO, YMD', true);
  RAISE NOTICE 'liquibase-partman: repartitionDefault %: % rows to copy into % partition(s) %..% in % slice(s)',
    'public.statistics_daily_users', v_planned, cardinality(array_remove(v_names, NULL)), v_lows[1], v_highs[cardinality(v_highs)], cardinality(v_slice_lows);

  -- The log entries of rows outside the planned ranges apply at once (to the staging table's DEFAULT).
  v_outside_plan := format('NOT coalesce(%1$I >= %2$L::%4$s AND %1$I < %3$L::%4$s, false)',
      v_config.control, v_lows[1], v_highs[cardinality(v_highs)], v_control_type);
  -- v_copied selects the rows of the slices copied so far; v_route names where a logged change applies.
  v_route := quote_literal(v_staging);
  v_copied := format('%I < %L::%s', v_config.control, v_lows[1], v_control_type);
  v_copied_rows := 0;
  v_changes := 0;
  FOR s IN 1 .. cardinality(v_slice_lows) LOOP
    v_slice := format('%1$I >= %2$L::%4$s AND %1$I < %3$L::%4$s', v_config.control, v_slice_lows[s], v_slice_highs[s], v_control_type)
        || CASE WHEN v_slice_key_lows[s] IS NULL THEN '' ELSE format(' AND %s >= %s', v_key, v_slice_key_lows[s]) END
        || CASE WHEN v_slice_key_highs[s] IS NULL THEN '' ELSE format(' AND %s < %s', v_key, v_slice_key_highs[s]) END;
    IF v_slice_rows[s] > 0 THEN
      -- One statement, one snapshot: the log entries it deletes are the changes the copy contains.
      EXECUTE format('WITH seen AS (DELETE FROM %1$s WHERE %2$s) INSERT INTO %3$s (%4$s) SELECT %4$s FROM ONLY %5$s WHERE %2$s',
          v_log, v_slice, v_staging, v_columns, v_default_name);
      GET DIAGNOSTICS v_rows = ROW_COUNT;
      v_copied_rows := v_copied_rows + v_rows;
      v_copies := v_copies + 1;
      RAISE NOTICE 'liquibase-partman: repartitionDefault %: copy %: % rows with % from % to before %; % of % copied',
        'public.statistics_daily_users', v_copies, v_rows, v_config.control, v_slice_lows[s],
        v_slice_highs[s] || CASE WHEN v_slice_key_lows[s] IS NULL AND v_slice_key_highs[s] IS NULL THEN '' ELSE ' (a slice of that range)' END,
        v_copied_rows, v_planned;
      COMMIT;
      PERFORM set_config('TimeZone', 'UTC', true);
      PERFORM set_config('DateStyle', 'ISO, YMD', true);
    END IF;
    v_copied := CASE WHEN v_slice_key_highs[s] IS NULL THEN format('%I < %L::%s', v_config.control, v_slice_highs[s], v_control_type)
                     ELSE format('(%1$I < %2$L::%4$s OR %1$I < %3$L::%4$s AND %5$s < %6$s)', v_config.control,
                                 v_slice_lows[s], v_slice_highs[s], v_control_type, v_key, v_slice_key_highs[s]) END;
    LOOP
      v_applied := 0;
      FOR v_entry, v_entry_deletes, v_target IN EXECUTE format('SELECT partman_repartition_entry, partman_repartition_delete, %s FROM %s '
          'WHERE %s OR %s ORDER BY 1 LIMIT %s', v_route, v_log, v_outside_plan, v_copied, v_batch_size) LOOP
        IF v_entry_deletes THEN
          v_found_table := NULL;
          EXECUTE format('SELECT s.tableoid::regclass::text, s.ctid FROM %s s, %s e WHERE e.partman_repartition_entry = $1 AND %s LIMIT 1',
              v_target, v_log, v_match) INTO v_found_table, v_found_row USING v_entry;
          IF v_found_table IS NULL THEN
            RAISE EXCEPTION 'repartitionDefault lost track of a row of %: the change logged as entry % matches no copied row', v_default_name, v_entry;
          END IF;
          EXECUTE format('DELETE FROM %s WHERE ctid = $1', v_found_table) USING v_found_row;
        ELSE
          EXECUTE format('INSERT INTO %s (%s) SELECT %s FROM %s WHERE partman_repartition_entry = $1', v_target, v_columns, v_columns, v_log) USING v_entry;
        END IF;
        EXECUTE format('DELETE FROM %s WHERE partman_repartition_entry = $1', v_log) USING v_entry;
        v_applied := v_applied + 1;
      END LOOP;
      v_changes := v_changes + v_applied;
      COMMIT;
      PERFORM set_config('TimeZone', 'UTC', true);
      PERFORM set_config('DateStyle', 'ISO, YMD', true);
      EXIT WHEN v_applied < v_batch_size;
    END LOOP;
  END LOOP;

  -- The partitions leave the staging table before the swap, which then only attaches them; until
  -- then the changes logged for their ranges go straight to them, the others to the staging table.
  FOREACH v_name IN ARRAY array_remove(v_names, NULL) LOOP
    EXECUTE format('ALTER TABLE %s DETACH PARTITION %I.%I', v_staging, 'public', v_name);
  END LOOP;
  SELECT 'CASE' || string_agg(format(' WHEN %1$I >= %2$L::%4$s AND %1$I < %3$L::%4$s THEN %5$L', v_config.control, lo, hi,
             v_control_type, format('%I.%I', 'public', name)), '' ORDER BY k) || format(' ELSE %L END', v_staging)
    INTO v_route FROM unnest(v_lows, v_highs, v_names) WITH ORDINALITY u(lo, hi, name, k) WHERE name IS NOT NULL;
  v_route := coalesce(v_route, quote_literal(v_staging));
  COMMIT;
  PERFORM set_config('TimeZone', 'UTC', true);
  PERFORM set_config('DateStyle', 'ISO, YMD', true);

  -- The swap: readers and writers wait for it on the parent, then find the rows in their partitions.
  v_failure := NULL;
  BEGIN
    v_lock_started := clock_timestamp();
    WHILE NOT pg_catalog.pg_try_advisory_xact_lock(pg_catalog.hashtext('pg_partman run_maintenance')) LOOP
      -- Without this, pg_stat_activity would show the states it showed first in this transaction.
      PERFORM pg_catalog.pg_stat_clear_snapshot();
      v_holders := (SELECT string_agg(DISTINCT l.pid || ' (' || a.state || ')', ', ') FROM pg_catalog.pg_locks l
          JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
          WHERE l.locktype = 'advisory' AND l.objid = (pg_catalog.hashtext('pg_partman run_maintenance')::bigint & 4294967295)::oid AND l.granted);
      IF v_holders IS NULL OR v_holders NOT LIKE '%(active)%' THEN
        RAISE NOTICE 'liquibase-partman: repartitionDefault %: pg_partman''s maintenance lock is held by session(s) % that run nothing; going on without it',
          'public.statistics_daily_users', v_holders;
        EXIT;
      END IF;
      IF clock_timestamp() - v_lock_started > interval '10 minutes' THEN
        RAISE EXCEPTION 'repartitionDefault waited 10 minutes in vain for pg_partman''s maintenance to finish; sessions holding its lock: %', v_holders
          USING HINT = 'Run it again when that maintenance is done.';
      END IF;
      PERFORM pg_sleep(0.01 + random() * 0.04);
    END LOOP;
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
          RAISE EXCEPTION 'repartitionDefault could not take % within a minute (lockTimeout %); sessions holding it: %',
            v_parent_name || ' and ' || v_default_name, v_lock_timeout, (SELECT string_agg(DISTINCT l.pid::text, ', ') FROM pg_catalog.pg_locks l
              WHERE (l.relation IN (v_parent, v_default)) AND l.granted AND l.pid <> pg_backend_pid())
            USING HINT = 'Run it again when those sessions are done, or raise lockTimeout.';
        END IF;
        PERFORM pg_sleep(0.01 + random() * 0.04);
      END;
    END LOOP;
    LOOP
      v_applied := 0;
      FOR v_entry, v_entry_deletes, v_target IN EXECUTE format('SELECT partman_repartition_entry, partman_repartition_delete, %s FROM %s '
          'WHERE %s OR %s ORDER BY 1 LIMIT %s', v_route, v_log, v_outside_plan, v_copied, v_batch_size) LOOP
        IF v_entry_deletes THEN
          v_found_table := NULL;
          EXECUTE format('SELECT s.tableoid::regclass::text, s.ctid FROM %s s, %s e WHERE e.partman_repartition_entry = $1 AND %s LIMIT 1',
              v_target, v_log, v_match) INTO v_found_table, v_found_row USING v_entry;
          IF v_found_table IS NULL THEN
            RAISE EXCEPTION 'repartitionDefault lost track of a row of %: the change logged as entry % matches no copied row', v_default_name, v_entry;
          END IF;
          EXECUTE format('DELETE FROM %s WHERE ctid = $1', v_found_table) USING v_found_row;
        ELSE
          EXECUTE format('INSERT INTO %s (%s) SELECT %s FROM %s WHERE partman_repartition_entry = $1', v_target, v_columns, v_columns, v_log) USING v_entry;
        END IF;
        EXECUTE format('DELETE FROM %s WHERE partman_repartition_entry = $1', v_log) USING v_entry;
        v_applied := v_applied + 1;
      END LOOP;
      v_changes := v_changes + v_applied;
      EXIT WHEN v_applied < v_batch_size;
    END LOOP;
    EXECUTE format('DROP TRIGGER %I ON %s', v_run, v_default_name);
    EXECUTE format('TRUNCATE ONLY %s', v_default_name);
    FOR k IN 1 .. cardinality(v_names) LOOP
      CONTINUE WHEN v_names[k] IS NULL;
      EXECUTE format('ALTER TABLE %s ATTACH PARTITION %I.%I FOR VALUES FROM (%L) TO (%L)',
          v_parent_name, 'public', v_names[k], v_lows[k], v_highs[k]);
    END LOOP;
    -- Rows that arrived for ranges not planned go back through the parent: to the DEFAULT, for the next pass
    -- (with their identity values, which PostgreSQL 17+ gives partitioned tables).
    v_rest := 0;
    EXECUTE format('SELECT EXISTS (SELECT FROM %I.%I)', 'public', v_run || '_rest') INTO v_exists;
    IF v_exists THEN
      EXECUTE format('INSERT INTO %s (%s) OVERRIDING SYSTEM VALUE SELECT %s FROM %I.%I', v_parent_name, v_columns, v_columns, 'public', v_run || '_rest');
      GET DIAGNOSTICS v_rest = ROW_COUNT;
    END IF;
    EXECUTE format('DROP TABLE %s, %s', v_staging, v_log);
    EXECUTE format('DROP FUNCTION %s()', v_function);
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
          RAISE EXCEPTION 'repartitionDefault could not take % within a minute (lockTimeout %); sessions holding it: %',
            v_default_name, v_lock_timeout, (SELECT string_agg(DISTINCT l.pid::text, ', ') FROM pg_catalog.pg_locks l
              WHERE (l.relation IN (v_parent, v_default)) AND l.granted AND l.pid <> pg_backend_pid())
            USING HINT = 'Run it again when those sessions are done, or raise lockTimeout.';
        END IF;
        PERFORM pg_sleep(0.01 + random() * 0.04);
      END;
    END LOOP;
    EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', v_cleaning, v_default_name);
    EXECUTE format('DROP TABLE IF EXISTS %I.%I, %I.%I', 'public', v_cleaning, 'public', v_cleaning || '_log');
    EXECUTE format('DROP FUNCTION IF EXISTS %I.%I()', 'public', v_cleaning);
    FOR v_orphan IN SELECT c.conrelid::regclass::text FROM pg_catalog.pg_constraint c
        WHERE c.conname = 'partman_repartition_bounds' AND c.connamespace = (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = 'public')
          AND pg_catalog.obj_description(c.oid, 'pg_constraint') = v_cleaning
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i WHERE i.inhrelid = c.conrelid) LOOP
      EXECUTE format('DROP TABLE %s', v_orphan);
    END LOOP;
    COMMIT;
    PERFORM set_config('TimeZone', 'UTC', true);
    PERFORM set_config('DateStyle', 'ISO, YMD', true);
    RAISE EXCEPTION 'repartitionDefault could not move the rows of % into their partitions: %', v_default_name, v_failure
      USING HINT = 'The rows are still in the DEFAULT. Remove the cause and run it again.';
  END IF;
  v_created := v_created || array_remove(v_names, NULL);
  RAISE NOTICE 'liquibase-partman: repartitionDefault %: pass %: % rows copied and % logged changes applied, now in % partition(s); % rows arrived for other ranges meanwhile',
    'public.statistics_daily_users', v_pass, v_copied_rows, v_changes, cardinality(array_remove(v_names, NULL)), v_rest;
  COMMIT;
  PERFORM set_config('TimeZone', 'UTC', true);
  PERFORM set_config('DateStyle', 'ISO, YMD', true);
  -- The partitions hold the rows now: nothing may take them for a killed run's leftovers any more,
  -- though their bounds constraints stay a moment longer (a later backend can have the same pid).
  FOREACH v_name IN ARRAY array_remove(v_names, NULL) LOOP
    EXECUTE format('COMMENT ON CONSTRAINT partman_repartition_bounds ON %I.%I IS NULL', 'public', v_name);
  END LOOP;
  COMMIT;
  PERFORM set_config('TimeZone', 'UTC', true);
  PERFORM set_config('DateStyle', 'ISO, YMD', true);
  FOR v_bounded IN SELECT c.conrelid::regclass FROM pg_catalog.pg_constraint c JOIN pg_catalog.pg_inherits i ON i.inhrelid = c.conrelid
      WHERE i.inhparent = v_parent AND c.conname = 'partman_repartition_bounds' LOOP
    v_lock_started := clock_timestamp();
    LOOP
      BEGIN
        PERFORM set_config('lock_timeout', v_lock_timeout, true);
        EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', v_bounded);
        PERFORM set_config('lock_timeout', v_saved_lock_timeout, true);
        EXIT;
      EXCEPTION WHEN lock_not_available THEN
        IF clock_timestamp() - v_lock_started > interval '1 minute' THEN
          RAISE EXCEPTION 'repartitionDefault could not take % within a minute (lockTimeout %); sessions holding it: %',
            v_bounded::text, v_lock_timeout, (SELECT string_agg(DISTINCT l.pid::text, ', ') FROM pg_catalog.pg_locks l
              WHERE (l.relation = v_bounded) AND l.granted AND l.pid <> pg_backend_pid())
            USING HINT = 'Run it again when those sessions are done, or raise lockTimeout.';
        END IF;
        PERFORM pg_sleep(0.01 + random() * 0.04);
      END;
    END LOOP;
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT partman_repartition_bounds', v_bounded);
    COMMIT;
    PERFORM set_config('TimeZone', 'UTC', true);
    PERFORM set_config('DateStyle', 'ISO, YMD', true);
  END LOOP;
  EXIT WHEN v_rest = 0;
END LOOP;
IF v_config.constraint_cols IS NOT NULL AND cardinality(v_created) > 0 THEN
  PERFORM "partman"."apply_constraints"(p_parent_table := 'public.statistics_daily_users');
END IF;
RAISE NOTICE 'liquibase-partman: repartitionDefault %: % new partition(s), % copies; % is empty',
  'public.statistics_daily_users', cardinality(v_created), v_copies, v_default_name;
END;
$partman$