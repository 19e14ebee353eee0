-- Plan: the child ranges that hold rows, as pg_partman would bound and name them (an id range starts at the
-- multiple of the interval at or below its values, negative ones included).
v_problems := '{}';
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
        v_problems := v_problems || format('rows with %I from %s to %s, more than 100000 partitions apart', v_config.control, v_min, v_max);
        EXIT;
      END IF;
    END LOOP;
  END IF;
  -- The bounds are cast once (a sub-select), not once per row. Rows that arrived since the minimum was read, below
  -- the first bound (bucket 0), are left to the next pass.
  IF cardinality(v_problems) = 0 THEN
    EXECUTE format('SELECT array_agg($1[b] ORDER BY b), array_agg(n ORDER BY b) FROM '
        '(SELECT width_bucket(%1$I, (SELECT $1::%3$s[])) AS b, count(*) AS n FROM ONLY %2$s WHERE isfinite(%1$I) GROUP BY 1) s WHERE b > 0',
        v_config.control, v_default_name, v_control_type)
      INTO v_lows, v_counts USING v_bounds;
  END IF;
ELSE
  EXECUTE format('SELECT array_agg(lo::text ORDER BY lo) FILTER (WHERE lo IS NOT NULL), array_agg(n ORDER BY lo) FILTER (WHERE lo IS NOT NULL), '
      'coalesce(sum(n) FILTER (WHERE lo IS NULL), 0), max(top) FROM '
      '(SELECT %1$I::numeric - ((%1$I::numeric %% $1) + $1) %% $1 AS lo, count(*) AS n, max(%1$I) AS top FROM ONLY %2$s GROUP BY 1) s',
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
IF v_fill_gaps AND cardinality(v_problems) = 0 THEN
  -- Every missing range from the oldest partition (or row) to the newest partition (or row) is
  -- planned too, empty: maintenance only extends after the newest partition, so a hole stays a
  -- hole and its rows would go to the DEFAULT again.
  SELECT coalesce(i.child_start_time::text, i.child_start_id::text) INTO v_step
    FROM "partman"."show_partitions"('public.statistics_daily_users', 'ASC') p,
    LATERAL "partman"."show_partition_info"(p.partition_schemaname || '.' || p.partition_tablename, p_parent_table := 'public.statistics_daily_users') i LIMIT 1;
  SELECT coalesce(i.child_end_time::text, i.child_end_id::text) INTO v_end
    FROM "partman"."show_partitions"('public.statistics_daily_users', 'DESC') p,
    LATERAL "partman"."show_partition_info"(p.partition_schemaname || '.' || p.partition_tablename, p_parent_table := 'public.statistics_daily_users') i LIMIT 1;
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
  -- One query, not a search of the plan per missing range: there can be thousands. A far-off row (a timestamp of 0,
  -- a stray id) would make them millions: refused as rows that far apart are.
  v_n := CASE WHEN v_step IS NULL THEN 0
              WHEN v_kind = 'time' THEN (SELECT count(*) FROM (SELECT FROM generate_series(v_step::timestamptz,
                  v_end::timestamptz - interval '1 microsecond', v_config.partition_interval::interval) LIMIT 100001) g)
              ELSE least(100001, ceil((v_end::numeric - v_step::numeric) / v_config.partition_interval::numeric)) END;
  IF v_n > 100000 THEN
    v_problems := v_problems || format('fillGaps would make more than 100000 partitions, for %I from %s to %s', v_config.control, v_step, v_end);
  ELSIF v_step IS NOT NULL THEN
    IF v_kind = 'time' THEN
      SELECT array_agg(b.l::text ORDER BY b.l), array_agg(coalesce(c.n, 0) ORDER BY b.l) INTO v_lows, v_counts
        FROM (SELECT g AS l FROM generate_series(v_step::timestamptz, v_end::timestamptz - interval '1 microsecond',
                                                  v_config.partition_interval::interval) g
              UNION SELECT u.l::timestamptz FROM unnest(v_lows) u(l)) b
        LEFT JOIN (SELECT u.l::timestamptz AS l, u.n FROM unnest(v_lows, v_counts) u(l, n)) c ON c.l = b.l;
    ELSE
      SELECT array_agg(b.l::text ORDER BY b.l), array_agg(coalesce(c.n, 0) ORDER BY b.l) INTO v_lows, v_counts
        FROM (SELECT g AS l FROM generate_series(v_step::numeric, v_end::numeric - 1, v_config.partition_interval::numeric) g
              UNION SELECT u.l::numeric FROM unnest(v_lows) u(l)) b
        LEFT JOIN (SELECT u.l::numeric AS l, u.n FROM unnest(v_lows, v_counts) u(l, n)) c ON c.l = b.l;
    END IF;
  END IF;
  v_lows := coalesce(v_lows, '{}');
  v_counts := coalesce(v_counts, '{}');
END IF;
v_bounds := v_lows;
v_lows := '{}';
v_highs := '{}';
v_names := '{}';
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
  -- The name pg_partman's show_partition_name() gives the partition that starts at a bound of the set's grid, made here
  -- rather than asked for: that function walks the set's partitions, so that a plan or a split step would cost as much
  -- as the set has partitions.
  v_name := "partman"."check_name_length"('statistics_daily_users', CASE v_kind WHEN 'time' THEN to_char(v_bounds[k]::timestamptz, v_config.datetime_string)
                                                     ELSE (v_bounds[k]::numeric)::bigint::text END, true);
  v_exists := to_regclass(format('%I.%I', 'public', v_name)) IS NOT NULL;
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
-- A range at either end of an id type can be bounded by a value the type cannot hold: pg_partman could not make it either.
IF v_kind <> 'time' AND cardinality(v_lows) > 0 THEN
  BEGIN
    EXECUTE format('SELECT %L::%s, %L::%s', (SELECT min(b::numeric) FROM unnest(v_lows) b), v_control_type,
        (SELECT max(b::numeric) FROM unnest(v_highs) b), v_control_type);
  EXCEPTION WHEN numeric_value_out_of_range THEN
    v_problems := v_problems || format('the ranges of rows from %s to %s would be bounded by values outside %s (intervals of %s)',
        (SELECT min(b::numeric) FROM unnest(v_lows) b), (SELECT max(b::numeric) FROM unnest(v_highs) b), v_control_type,
        v_config.partition_interval);
  END;
END IF;
IF cardinality(v_problems) > 0 OR cardinality(v_lows) = 0 THEN
  -- Everything it drops is locked first, at once and within lockTimeout: no DROP then waits while the DEFAULT is held.
  -- The partitions a run made are known by their bounds constraint's comment (those attached to its staging table go with it).
  v_leftovers := ARRAY(SELECT c.conrelid::regclass FROM pg_catalog.pg_constraint c
      WHERE c.conname = 'partman_repartition_bounds' AND c.connamespace = (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = 'public')
        AND pg_catalog.obj_description(c.oid, 'pg_constraint') = v_cleaning
        AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i WHERE i.inhrelid = c.conrelid));
  v_locking := ARRAY[v_default] || array_remove(ARRAY[to_regclass(format('%I.%I', 'public', v_cleaning)),
      to_regclass(format('%I.%I', 'public', v_cleaning || '_log')), to_regclass(format('%I.%I', 'public', v_cleaning || '_default'))], NULL)
      || v_leftovers;
  -- A request that waits queues the application's queries behind it: for a second the tries wait at most
  -- v_first_lock_timeout each, a few milliseconds apart, and only then lockTimeout. Once the locks are held, lock_timeout stays at
  -- lockTimeout until the transaction ends: whatever else it waits for fails after that rather than keep the
  -- application waiting behind it.
  v_lock_started := clock_timestamp();
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', CASE WHEN clock_timestamp() - v_lock_started < interval '1 second'
                                              THEN v_first_lock_timeout ELSE v_lock_timeout END, true);
      EXECUTE format('LOCK TABLE ONLY %s IN ACCESS EXCLUSIVE MODE', array_to_string(v_locking, ', ONLY '));
      PERFORM set_config('lock_timeout', v_lock_timeout, true);
      EXIT;
    EXCEPTION WHEN lock_not_available THEN
      IF clock_timestamp() - v_lock_started > interval '1 minute' THEN
        RAISE EXCEPTION 'repartitionDefault could not take % within a minute (lockTimeout %); sessions holding it: %',
          array_to_string(v_locking, ', '), v_lock_timeout, (SELECT string_agg(DISTINCT l.pid::text, ', ') FROM pg_catalog.pg_locks l
            WHERE (l.relation = ANY (v_locking::oid[])) AND l.granted AND l.pid <> pg_backend_pid())
          USING HINT = 'Run it again when those sessions are done, or raise lockTimeout.';
      END IF;
      PERFORM pg_sleep(0.005 + random() * 0.01);
    END;
  END LOOP;
  EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', v_cleaning, v_default_name);
  EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', v_cleaning || '_truncate', v_default_name);
  EXECUTE format('DROP TABLE IF EXISTS %I.%I, %I.%I, %I.%I', 'public', v_cleaning, 'public', v_cleaning || '_log', 'public', v_cleaning || '_default');
  EXECUTE format('DROP FUNCTION IF EXISTS %I.%I()', 'public', v_cleaning);
  FOREACH v_bounded IN ARRAY v_leftovers LOOP
    EXECUTE format('DROP TABLE %s', v_bounded);
  END LOOP;
  COMMIT;
  PERFORM set_config('TimeZone', 'UTC', true);
  -- Rows travel through the log as text: written and read back with these settings, whatever the writers' and the
  -- session's own (a lossy extra_float_digits, an IntervalStyle or DateStyle that reads back otherwise).
  PERFORM set_config('DateStyle', 'ISO, YMD', true);
  PERFORM set_config('IntervalStyle', 'postgres', true);
  PERFORM set_config('extra_float_digits', '3', true);
  PERFORM set_config('bytea_output', 'hex', true);
  PERFORM set_config('lc_monetary', 'C', true);
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

