-- Split: each chunk of the table (this run's, or a killed run's) gives its rows to the partitions of its ranges, its
-- first ranges first, a few a step. A step makes their partitions beside the table, then in one short transaction
-- detaches the chunk, moves those ranges' rows out of it into the partitions (one statement, not seen by the
-- application's triggers or publications: the chunk is detached, the partitions not yet attached; the statement
-- returns what it removed and what it placed, which must be equal), attaches the partitions (their bounds constraint
-- and the DEFAULT's constraint spare every scan), and attaches the rest of the chunk again with its lower bound
-- raised (which reads the rest once). The rows are never outside the table but inside that transaction. pg_partman's
-- maintenance is held off until the last step (see the swap). A step moves at most 5000 rows and as many ranges as keep it near 50 ms.
v_chunks := ARRAY(SELECT c.relname::text FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = v_parent AND starts_with(c.relname, 'partman_repartition_') AND c.relname ~ '_chunk_[0-9]+$' ORDER BY c.relname);
IF cardinality(v_chunks) > 0 THEN
  -- Held since the swap, unless this is a rerun after a kill.
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted AND objsubid = 1
                 AND objid = (pg_catalog.hashtext('pg_partman run_maintenance')::bigint & 4294967295)::oid) THEN
    v_maintenance_started := clock_timestamp();
    WHILE NOT pg_catalog.pg_try_advisory_lock(pg_catalog.hashtext('pg_partman run_maintenance')) LOOP
      -- Without this, pg_stat_activity would show the states it showed first in this transaction.
      PERFORM pg_catalog.pg_stat_clear_snapshot();
      -- A session whose state this role may not see (pg_read_all_stats shows it) counts as running maintenance.
      SELECT string_agg(DISTINCT l.pid || ' (' || coalesce(a.state, 'state not visible') || ')', ', '),
             coalesce(bool_or(a.state IS NULL OR a.state IN ('active', 'fastpath function call')), true)
        INTO v_holders, v_busy FROM pg_catalog.pg_locks l
        JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.objid = (pg_catalog.hashtext('pg_partman run_maintenance')::bigint & 4294967295)::oid AND l.granted;
      IF v_holders IS NOT NULL AND NOT v_busy THEN
        RAISE NOTICE 'liquibase-partman: repartitionDefault %: pg_partman''s maintenance lock is held by session(s) % that run nothing; going on without it',
          'public.statistics_daily_users', v_holders;
        EXIT;
      END IF;
      IF clock_timestamp() - v_maintenance_started > interval '10 minutes' THEN
        RAISE EXCEPTION 'repartitionDefault waited 10 minutes in vain for pg_partman''s maintenance to finish; sessions holding its lock: %', v_holders
          USING HINT = 'Run it again when that maintenance is done.';
      END IF;
      PERFORM pg_sleep(0.01 + random() * 0.04);
    END LOOP;
  END IF;
  v_split_ranges := 0;
  FOREACH v_chunk IN ARRAY v_chunks LOOP
    v_chunk := format('%I.%I', 'public', v_chunk);
    SELECT v_split_ranges + CASE v_kind
             WHEN 'time' THEN (SELECT count(*) FROM generate_series(trim(BOTH '''' FROM m[1])::timestamptz,
                 trim(BOTH '''' FROM m[2])::timestamptz - interval '1 microsecond', v_config.partition_interval::interval))
             ELSE ceil((trim(BOTH '''' FROM m[2])::numeric - trim(BOTH '''' FROM m[1])::numeric) / v_config.partition_interval::numeric) END
      INTO v_split_ranges FROM pg_catalog.pg_class c,
      LATERAL regexp_match(pg_catalog.pg_get_expr(c.relpartbound, c.oid), '^FOR VALUES FROM \((.*)\) TO \((.*)\)$') m
      WHERE c.oid = v_chunk::regclass;
  END LOOP;
  -- What the swap turned off, given back by the last step.
  v_maintenance_was := substring(pg_catalog.obj_description(format('%I.%I', 'public', v_chunks[1])::regclass, 'pg_class')
      FROM '^automatic_maintenance (on|off)$');
  v_split_done := 0;
  v_steps := 0;
  -- One range first: what a step costs on this table is not known until one is done.
  v_step_ranges := 1;
  v_tries := 0;
  FOREACH v_chunk_name IN ARRAY v_chunks LOOP
    v_chunk := format('%I.%I', 'public', v_chunk_name);
    LOOP
      -- The next ranges of the chunk, their rows, and their partitions, made beside the table.
      v_failure := NULL;
      BEGIN
        SELECT trim(BOTH '''' FROM m[1]), trim(BOTH '''' FROM m[2]) INTO v_chunk_low, v_chunk_high FROM pg_catalog.pg_class c,
          LATERAL regexp_match(pg_catalog.pg_get_expr(c.relpartbound, c.oid), '^FOR VALUES FROM \((.*)\) TO \((.*)\)$') m
          WHERE c.oid = v_chunk::regclass;
        IF v_kind = 'time' THEN
          SELECT array_agg(g::text ORDER BY g), array_agg((g + v_config.partition_interval::interval)::text ORDER BY g)
            INTO v_step_lows, v_step_highs
            FROM (SELECT g FROM generate_series(v_chunk_low::timestamptz, v_chunk_high::timestamptz - interval '1 microsecond',
                                                v_config.partition_interval::interval) g LIMIT v_step_ranges) s;
        ELSE
          SELECT array_agg(g::text ORDER BY g), array_agg((g + v_config.partition_interval::numeric)::text ORDER BY g)
            INTO v_step_lows, v_step_highs
            FROM (SELECT g FROM generate_series(v_chunk_low::numeric, v_chunk_high::numeric - 1, v_config.partition_interval::numeric) g
                  LIMIT v_step_ranges) s;
        END IF;
        EXECUTE format('SELECT array_agg(coalesce(c.n, 0) ORDER BY b.k) FROM generate_subscripts($1, 1) b(k) LEFT JOIN '
            '(SELECT width_bucket(%1$I, (SELECT $1::%3$s[])) AS k, count(*) AS n FROM ONLY %2$s WHERE %1$I < $2::%3$s GROUP BY 1) c USING (k)',
            v_config.control, v_chunk, v_control_type)
          INTO v_step_counts USING v_step_lows, v_step_highs[cardinality(v_step_highs)];
        v_rows := 0;
        v_n := 0;
        FOR k IN 1 .. cardinality(v_step_lows) LOOP
          EXIT WHEN v_n > 0 AND v_rows + v_step_counts[k] > 5000;
          v_n := k;
          v_rows := v_rows + v_step_counts[k];
        END LOOP;
        v_step_lows := v_step_lows[1:v_n];
        v_step_highs := v_step_highs[1:v_n];
        v_step_names := '{}';
        FOR k IN 1 .. v_n LOOP
          -- The name pg_partman's show_partition_name() gives the partition that starts at a bound of the set's grid, made here
          -- rather than asked for: that function walks the set's partitions, so that a plan or a split step would cost as much
          -- as the set has partitions.
          v_name := "partman"."check_name_length"('statistics_daily_users', CASE v_kind WHEN 'time' THEN to_char(v_step_lows[k]::timestamptz, v_config.datetime_string)
                                                             ELSE (v_step_lows[k]::numeric)::bigint::text END, true);
          v_bounded := to_regclass(format('%I.%I', 'public', v_name));
          IF v_bounded IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits WHERE inhrelid = v_bounded)
             AND EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = v_bounded AND conname = 'partman_repartition_bounds') THEN
            -- What a killed step made goes, and is made again if its range still has rows (fillGaps="false": maybe not).
            EXECUTE format('DROP TABLE %s', v_bounded);
          ELSIF v_bounded IS NOT NULL AND (v_fill_gaps OR v_step_counts[k] > 0) THEN
            RAISE EXCEPTION 'the partition % for the rows of % from % to before % cannot be made: a table of that name exists',
              v_name, v_chunk, v_step_lows[k], v_step_highs[k];
          END IF;
          v_step_names := v_step_names || CASE WHEN v_fill_gaps OR v_step_counts[k] > 0 THEN v_name END;
        END LOOP;
      EXCEPTION WHEN OTHERS THEN
        v_failure := SQLERRM;
      END;
      FOR k IN 1 .. v_n LOOP
        EXIT WHEN v_failure IS NOT NULL;
        CONTINUE WHEN v_step_names[k] IS NULL;
        BEGIN
          PERFORM set_config('lock_timeout', v_lock_timeout, true);
          EXECUTE format('CREATE TABLE %I.%I (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMMENTS INCLUDING GENERATED INCLUDING INDEXES, '
              'CONSTRAINT partman_repartition_bounds CHECK (%I IS NOT NULL AND %I >= %L::%s AND %I < %L::%s))%s',
              'public', v_step_names[k], v_parent_name, v_config.control, v_config.control, v_step_lows[k], v_control_type,
              v_config.control, v_step_highs[k], v_control_type, v_tablespace);
          -- Names the run, so that a killed run's partitions are found while they are not attached.
          EXECUTE format('COMMENT ON CONSTRAINT partman_repartition_bounds ON %I.%I IS %L', 'public', v_step_names[k], v_run);
          IF v_config.template_table IS NOT NULL THEN
            PERFORM "partman"."inherit_template_properties"('public.statistics_daily_users', 'public', v_step_names[k]);
          END IF;
          IF v_config.inherit_privileges THEN
            PERFORM "partman"."apply_privileges"('public', 'statistics_daily_users', 'public', v_step_names[k]);
          END IF;
          IF v_config.publications IS NOT NULL THEN
            PERFORM "partman"."apply_publications"('public.statistics_daily_users', 'public', v_step_names[k]);
          END IF;
          -- The parent's foreign keys, checked on the empty partition at once (the rows it receives are checked as they arrive).
          FOR v_constraint, v_definition IN SELECT conname, pg_catalog.pg_get_constraintdef(oid) FROM pg_catalog.pg_constraint
              WHERE conrelid = v_parent AND contype = 'f' AND convalidated LOOP
            EXECUTE format('ALTER TABLE %I.%I ADD CONSTRAINT %I %s', 'public', v_step_names[k], v_constraint, v_definition);
          END LOOP;
        EXCEPTION WHEN OTHERS THEN
          v_failure := SQLERRM;
        END;
        -- Tables made, dropped or analyzed one after another are committed a few at a time: each holds one or several locks (its
        -- table, TOAST table, indexes, type) until the transaction ends, and many in one transaction would go past max_locks_per_transaction.
        IF (SELECT count(*) FROM pg_catalog.pg_locks WHERE pid = pg_catalog.pg_backend_pid()) > 40 THEN
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
      END LOOP;
      IF v_failure IS NOT NULL THEN
        -- The session may have taken it more than once (the swap, then a split after a kill): each take needs its release.
        FOR v_try IN 1 .. 100 LOOP
          EXIT WHEN NOT EXISTS (SELECT 1 FROM pg_catalog.pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted
                                  AND objsubid = 1 AND objid = (pg_catalog.hashtext('pg_partman run_maintenance')::bigint & 4294967295)::oid);
          PERFORM pg_catalog.pg_advisory_unlock(pg_catalog.hashtext('pg_partman run_maintenance'));
        END LOOP;
        RAISE EXCEPTION 'repartitionDefault could not make the partitions for the rows of % (a chunk of %): %', v_chunk, 'public.statistics_daily_users', v_failure
          USING HINT = 'The rows are in that chunk, a partition of the table meanwhile: nothing is missing. Remove the cause and run it again to finish.';
      END IF;
      COMMIT;
      PERFORM set_config('TimeZone', 'UTC', true);
      -- Rows travel through the log as text: written and read back with these settings, whatever the writers' and the
      -- session's own (a lossy extra_float_digits, an IntervalStyle or DateStyle that reads back otherwise).
      PERFORM set_config('DateStyle', 'ISO, YMD', true);
      PERFORM set_config('IntervalStyle', 'postgres', true);
      PERFORM set_config('extra_float_digits', '3', true);
      PERFORM set_config('bytea_output', 'hex', true);
      PERFORM set_config('lc_monetary', 'C', true);
      -- The step.
      v_failure := NULL;
      v_mismatch := false;
      v_step_end := v_step_highs[v_n];
      v_step_last := CASE v_kind WHEN 'time' THEN v_step_end::timestamptz >= v_chunk_high::timestamptz ELSE v_step_end::numeric >= v_chunk_high::numeric END;
      v_locking := ARRAY[v_parent, v_chunk::regclass, v_default_name::regclass]
          || ARRAY(SELECT format('%I.%I', 'public', n)::regclass FROM unnest(v_step_names) n WHERE n IS NOT NULL);
      BEGIN
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
        v_step_started := clock_timestamp();
        EXECUTE format('ALTER TABLE %s DETACH PARTITION %s', v_parent_name, v_chunk);
        SELECT coalesce(string_agg(format(', p%s AS (INSERT INTO %I.%I (%s) SELECT %s FROM moved t WHERE t.%I >= %L::%s AND t.%I < %L::%s RETURNING 1)',
                   k, 'public', v_step_names[k], v_columns, v_columns, v_config.control, v_step_lows[k], v_control_type,
                   v_config.control, v_step_highs[k], v_control_type), '' ORDER BY k), ''),
               coalesce(string_agg(format(' + (SELECT count(*) FROM p%s)', k), '' ORDER BY k), '')
          INTO v_step_inserts, v_step_placed FROM generate_series(1, v_n) k WHERE v_step_names[k] IS NOT NULL;
        EXECUTE format('WITH moved AS (DELETE FROM ONLY %s WHERE %I < %L::%s RETURNING *)%s SELECT (SELECT count(*) FROM moved), 0%s',
            v_chunk, v_config.control, v_step_end, v_control_type, v_step_inserts, v_step_placed) INTO v_rows, v_placed;
        IF v_rows <> v_placed THEN
          -- Rows arrived for a range without rows when the step was planned (fillGaps="false"): counted again, it gets a partition.
          v_mismatch := true;
          RAISE EXCEPTION 'moved % rows of % but placed %', v_rows, v_chunk, v_placed;
        END IF;
        FOR k IN 1 .. v_n LOOP
          CONTINUE WHEN v_step_names[k] IS NULL;
          EXECUTE format('ALTER TABLE %s ATTACH PARTITION %I.%I FOR VALUES FROM (%L) TO (%L)',
              v_parent_name, 'public', v_step_names[k], v_step_lows[k], v_step_highs[k]);
          EXECUTE format('ALTER TABLE %I.%I DROP CONSTRAINT partman_repartition_bounds', 'public', v_step_names[k]);
          v_name := v_step_names[k];
        END LOOP;
        -- The DEFAULT's constraint that keeps the chunk's rows out of it has the chunk's name.
        IF v_step_last THEN
          EXECUTE format('SELECT EXISTS (SELECT 1 FROM ONLY %s)', v_chunk) INTO v_exists;
          IF v_exists THEN
            RAISE EXCEPTION '% holds rows outside its bounds', v_chunk;
          END IF;
          EXECUTE format('DROP TABLE %s', v_chunk);
          EXECUTE format('ALTER TABLE %s DROP CONSTRAINT IF EXISTS %I', v_default_name, v_chunk_name);
          IF v_chunk_name = v_chunks[cardinality(v_chunks)] AND v_maintenance_was IS NOT NULL THEN
            UPDATE "partman"."part_config" SET automatic_maintenance = v_maintenance_was WHERE parent_table = 'public.statistics_daily_users';
          END IF;
        ELSE
          EXECUTE format('ALTER TABLE %s ATTACH PARTITION %s FOR VALUES FROM (%L) TO (%L)', v_parent_name, v_chunk, v_step_end, v_chunk_high);
          IF array_position(v_step_names, NULL) IS NOT NULL THEN
            -- Ranges left without a partition (fillGaps="false") belong to the DEFAULT again.
            EXECUTE format('ALTER TABLE %1$s DROP CONSTRAINT IF EXISTS %2$I, ADD CONSTRAINT %2$I CHECK (NOT (%3$I >= %4$L::%6$s AND %3$I < %5$L::%6$s))',
                v_default_name, v_chunk_name, v_config.control, v_step_end, v_chunk_high, v_control_type);
          END IF;
        END IF;
        v_step_held := clock_timestamp() - v_step_started;
      EXCEPTION WHEN OTHERS THEN
        v_failure := SQLERRM;
      END;
      IF v_failure IS NOT NULL THEN
        v_tries := v_tries + 1;
        IF NOT v_mismatch OR v_tries > 5 THEN
          -- The session may have taken it more than once (the swap, then a split after a kill): each take needs its release.
          FOR v_try IN 1 .. 100 LOOP
            EXIT WHEN NOT EXISTS (SELECT 1 FROM pg_catalog.pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted
                                    AND objsubid = 1 AND objid = (pg_catalog.hashtext('pg_partman run_maintenance')::bigint & 4294967295)::oid);
            PERFORM pg_catalog.pg_advisory_unlock(pg_catalog.hashtext('pg_partman run_maintenance'));
          END LOOP;
          RAISE EXCEPTION 'repartitionDefault could not move the rows of % (a chunk of %) into their partitions: %', v_chunk, 'public.statistics_daily_users', v_failure
            USING HINT = 'The rows are in that chunk, a partition of the table meanwhile: nothing is missing. Remove the cause and run it again to finish.';
        END IF;
        COMMIT;
        PERFORM set_config('TimeZone', 'UTC', true);
        -- Rows travel through the log as text: written and read back with these settings, whatever the writers' and the
        -- session's own (a lossy extra_float_digits, an IntervalStyle or DateStyle that reads back otherwise).
        PERFORM set_config('DateStyle', 'ISO, YMD', true);
        PERFORM set_config('IntervalStyle', 'postgres', true);
        PERFORM set_config('extra_float_digits', '3', true);
        PERFORM set_config('bytea_output', 'hex', true);
        PERFORM set_config('lc_monetary', 'C', true);
        CONTINUE;
      END IF;
      v_tries := 0;
      v_steps := v_steps + 1;
      v_split_done := v_split_done + v_n;
      v_created := v_created || array_remove(v_step_names, NULL);
      RAISE NOTICE 'liquibase-partman: repartitionDefault %: split step %: % rows with % from % to before % into % partition(s), the table held % ms; % of % ranges split',
        'public.statistics_daily_users', v_steps, v_rows, v_config.control, v_step_lows[1], v_step_end, cardinality(array_remove(v_step_names, NULL)),
        round(extract(epoch FROM v_step_held) * 1000), v_split_done, v_split_ranges;
      COMMIT;
      PERFORM set_config('TimeZone', 'UTC', true);
      -- Rows travel through the log as text: written and read back with these settings, whatever the writers' and the
      -- session's own (a lossy extra_float_digits, an IntervalStyle or DateStyle that reads back otherwise).
      PERFORM set_config('DateStyle', 'ISO, YMD', true);
      PERFORM set_config('IntervalStyle', 'postgres', true);
      PERFORM set_config('extra_float_digits', '3', true);
      PERFORM set_config('bytea_output', 'hex', true);
      PERFORM set_config('lc_monetary', 'C', true);
      -- As many ranges next time as keep the table held about 50 ms (an ATTACH costs more as the table has
      -- more partitions), at most twice as many as this time.
      v_step_ranges := greatest(1, least(v_per_transaction, 2 * v_n,
          floor(v_n * 50 / greatest(1, extract(epoch FROM v_step_held) * 1000))::int));
      EXIT WHEN v_step_last;
    END LOOP;
  END LOOP;
  -- The session may have taken it more than once (the swap, then a split after a kill): each take needs its release.
  FOR v_try IN 1 .. 100 LOOP
    EXIT WHEN NOT EXISTS (SELECT 1 FROM pg_catalog.pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted
                            AND objsubid = 1 AND objid = (pg_catalog.hashtext('pg_partman run_maintenance')::bigint & 4294967295)::oid);
    PERFORM pg_catalog.pg_advisory_unlock(pg_catalog.hashtext('pg_partman run_maintenance'));
  END LOOP;
END IF;
