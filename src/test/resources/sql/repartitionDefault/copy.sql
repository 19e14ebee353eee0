-- Slice by slice, one statement copies the slice's rows from the DEFAULT and deletes the slice's log entries it saw
-- (one statement, one snapshot: the entries it deletes are exactly the changes the copy contains); the changes
-- logged after that are applied to the copies. What the copies receive is summed up row by row (count and two
-- hashes of each row's text), to be compared with the old DEFAULT once it has left the table.
v_copied := 'false';
v_copied_rows := 0;
v_changes := 0;
-- Applies the logged changes of the slices copied so far, and of rows of ranges not planned (which go to the new
-- DEFAULT), at most batchSize entries a transaction. A batch applies its net effect on each row text: the copies are
-- a multiset of rows, and inserting one row and deleting another that reads the same is no change. Removals come
-- first, so that a new version never meets the old one in a unique index. The sums count what the statements wrote
-- and removed, as they return it.
LOOP
  v_failure := NULL;
  BEGIN
    EXECUTE format('SELECT array_agg(partman_repartition_entry) FROM (SELECT partman_repartition_entry FROM %s t '
        'WHERE (%s) = %L OR %s ORDER BY 1 LIMIT %s) e', v_entries, v_route, v_fresh, v_copied, v_batch_size) INTO v_batch;
    EXIT WHEN v_batch IS NULL;
    FOR v_target, v_text, v_net IN EXECUTE format('SELECT %s, %s, sum(partman_repartition_delta) FROM %s t '
        'WHERE partman_repartition_entry = ANY ($1) GROUP BY 1, 2 HAVING sum(partman_repartition_delta) <> 0 ORDER BY 3', v_route, v_row, v_entries)
        USING v_batch LOOP
      IF v_net > 0 THEN
        EXECUTE format('WITH put AS (INSERT INTO %1$s AS t (%2$s) SELECT %3$s FROM (SELECT $1::%4$s AS r OFFSET 0) s, generate_series(1, $2) '
            'RETURNING %5$s AS partman_repartition_row) '
            'SELECT count(*), coalesce(sum(hashtextextended(partman_repartition_row, 0)), 0), coalesce(sum(hashtextextended(partman_repartition_row, 1)), 0) FROM put',
            v_target, v_columns, v_fields, v_staging, v_row) INTO v_rows, v_old_sum0, v_old_sum1 USING v_text, v_net;
        v_moved_rows := v_moved_rows + v_rows;
        v_moved_sum0 := v_moved_sum0 + v_old_sum0;
        v_moved_sum1 := v_moved_sum1 + v_old_sum1;
      ELSE
        v_net := -v_net;
        FOR v_found_table, v_found_row IN EXECUTE format('SELECT t.tableoid::regclass, t.ctid FROM %s t, (SELECT $1::%s AS r OFFSET 0) s '
            'WHERE %s AND %s = $1 LIMIT $2', v_target, v_staging, v_narrow, v_row) USING v_text, v_net LOOP
          EXECUTE format('WITH gone AS (DELETE FROM %s t WHERE ctid = $1 RETURNING %s AS partman_repartition_row) '
              'SELECT count(*), coalesce(sum(hashtextextended(partman_repartition_row, 0)), 0), coalesce(sum(hashtextextended(partman_repartition_row, 1)), 0) FROM gone',
              v_found_table, v_row) INTO v_rows, v_old_sum0, v_old_sum1 USING v_found_row;
          v_moved_rows := v_moved_rows - v_rows;
          v_moved_sum0 := v_moved_sum0 - v_old_sum0;
          v_moved_sum1 := v_moved_sum1 - v_old_sum1;
          v_net := v_net - v_rows;
        END LOOP;
        IF v_net <> 0 THEN
          RAISE EXCEPTION 'repartitionDefault lost track of a row of %: the log removes % more row(s) % than the copies hold',
            v_default_name, v_net, v_text;
        END IF;
      END IF;
    END LOOP;
    EXECUTE format('DELETE FROM %s WHERE partman_repartition_entry = ANY ($1)', v_log) USING v_batch;
  EXCEPTION WHEN OTHERS THEN
    v_failure := SQLERRM;
  END;
  -- A step that failed before the swap: the rows never left the DEFAULT; what the run made goes, its trigger first.
  IF v_failure IS NOT NULL THEN
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
    RAISE EXCEPTION 'repartitionDefault stopped moving the rows of %: %', v_default_name, v_failure
      USING HINT = 'The rows are still in the DEFAULT, and what the run made is removed. Remove the cause and run it again.';
  END IF;
  v_changes := v_changes + cardinality(v_batch);
  COMMIT;
  PERFORM set_config('TimeZone', 'UTC', true);
  -- Rows travel through the log as text: written and read back with these settings, whatever the writers' and the
  -- session's own (a lossy extra_float_digits, an IntervalStyle or DateStyle that reads back otherwise).
  PERFORM set_config('DateStyle', 'ISO, YMD', true);
  PERFORM set_config('IntervalStyle', 'postgres', true);
  PERFORM set_config('extra_float_digits', '3', true);
  PERFORM set_config('bytea_output', 'hex', true);
  PERFORM set_config('lc_monetary', 'C', true);
  EXIT WHEN cardinality(v_batch) < v_batch_size;
END LOOP;
FOR s IN 1 .. cardinality(v_slice_lows) LOOP
  v_slice := format('%1$I >= %2$L::%4$s AND %1$I < %3$L::%4$s', v_config.control, v_slice_lows[s], v_slice_highs[s], v_control_type)
      || CASE WHEN v_slice_key_lows[s] IS NULL THEN '' ELSE format(' AND %s >= %s', v_key, v_slice_key_lows[s]) END
      || CASE WHEN v_slice_key_highs[s] IS NULL THEN '' ELSE format(' AND %s < %s', v_key, v_slice_key_highs[s]) END;
  -- With fillGaps="false" a slice's targets can leave ranges between them without a partition: a row arriving there
  -- is not the slice's (the staging table has no partition for it), and the catch-up puts it in the new DEFAULT.
  IF EXISTS (SELECT 1 FROM generate_series(v_slice_firsts[s], v_slice_lasts[s]) k
             WHERE v_names[k] IS NULL OR k < v_slice_lasts[s] AND v_highs[k] <> v_lows[k + 1]) THEN
    v_slice := v_slice || ' AND (' || (SELECT coalesce(string_agg(format('%1$I >= %2$L::%4$s AND %1$I < %3$L::%4$s', v_config.control,
                   v_lows[k], v_highs[k], v_control_type), ' OR ' ORDER BY k), 'false')
        FROM generate_series(v_slice_firsts[s], v_slice_lasts[s]) k WHERE v_names[k] IS NOT NULL) || ')';
  END IF;
  IF v_slice_rows[s] > 0 THEN
    v_failure := NULL;
    BEGIN
      -- Attached to the staging table only while the copy writes to them: an ATTACH costs as much as the table has
      -- partitions, and the staging table then never has more than a slice's.
      FOR k IN v_slice_firsts[s] .. v_slice_lasts[s] LOOP
        CONTINUE WHEN v_names[k] IS NULL;
        EXECUTE format('ALTER TABLE %s ATTACH PARTITION %I.%I FOR VALUES FROM (%L) TO (%L)', v_staging, 'public', v_names[k], v_lows[k], v_highs[k]);
      END LOOP;
      EXECUTE format('WITH seen AS (DELETE FROM %1$s WHERE partman_repartition_entry IN (SELECT partman_repartition_entry FROM %2$s t WHERE %3$s)), '
          'copied AS (INSERT INTO %4$s AS t (%5$s) SELECT %5$s FROM ONLY %6$s t WHERE %3$s RETURNING %7$s AS partman_repartition_row) '
          'SELECT count(*), coalesce(sum(hashtextextended(partman_repartition_row, 0)), 0), coalesce(sum(hashtextextended(partman_repartition_row, 1)), 0) FROM copied',
          v_log, v_entries, v_slice, v_staging, v_columns, v_default_name, v_row)
        INTO v_rows, v_old_sum0, v_old_sum1;
      FOR k IN v_slice_firsts[s] .. v_slice_lasts[s] LOOP
        CONTINUE WHEN v_names[k] IS NULL;
        EXECUTE format('ALTER TABLE %s DETACH PARTITION %I.%I', v_staging, 'public', v_names[k]);
      END LOOP;
    EXCEPTION WHEN OTHERS THEN
      v_failure := SQLERRM;
    END;
    -- A step that failed before the swap: the rows never left the DEFAULT; what the run made goes, its trigger first.
    IF v_failure IS NOT NULL THEN
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
      RAISE EXCEPTION 'repartitionDefault stopped moving the rows of %: %', v_default_name, v_failure
        USING HINT = 'The rows are still in the DEFAULT, and what the run made is removed. Remove the cause and run it again.';
    END IF;
    v_moved_rows := v_moved_rows + v_rows;
    v_moved_sum0 := v_moved_sum0 + v_old_sum0;
    v_moved_sum1 := v_moved_sum1 + v_old_sum1;
    v_copied_rows := v_copied_rows + v_rows;
    v_copies := v_copies + 1;
    RAISE NOTICE 'liquibase-partman: repartitionDefault %: copy %: % rows with % from % to before %; % of % copied',
      'public.statistics_daily_users', v_copies, v_rows, v_config.control, v_slice_lows[s],
      v_slice_highs[s] || CASE WHEN v_slice_key_lows[s] IS NULL AND v_slice_key_highs[s] IS NULL THEN '' ELSE ' (a slice of that range)' END,
      v_copied_rows, v_planned;
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
  v_copied := CASE WHEN v_slice_key_highs[s] IS NULL THEN format('%I < %L::%s', v_config.control, v_slice_highs[s], v_control_type)
                   ELSE format('(%1$I < %2$L::%4$s OR %1$I < %3$L::%4$s AND %5$s < %6$s)', v_config.control,
                               v_slice_lows[s], v_slice_highs[s], v_control_type, v_key, v_slice_key_highs[s]) END;
  -- Applies the logged changes of the slices copied so far, and of rows of ranges not planned (which go to the new
  -- DEFAULT), at most batchSize entries a transaction. A batch applies its net effect on each row text: the copies are
  -- a multiset of rows, and inserting one row and deleting another that reads the same is no change. Removals come
  -- first, so that a new version never meets the old one in a unique index. The sums count what the statements wrote
  -- and removed, as they return it.
  LOOP
    v_failure := NULL;
    BEGIN
      EXECUTE format('SELECT array_agg(partman_repartition_entry) FROM (SELECT partman_repartition_entry FROM %s t '
          'WHERE (%s) = %L OR %s ORDER BY 1 LIMIT %s) e', v_entries, v_route, v_fresh, v_copied, v_batch_size) INTO v_batch;
      EXIT WHEN v_batch IS NULL;
      FOR v_target, v_text, v_net IN EXECUTE format('SELECT %s, %s, sum(partman_repartition_delta) FROM %s t '
          'WHERE partman_repartition_entry = ANY ($1) GROUP BY 1, 2 HAVING sum(partman_repartition_delta) <> 0 ORDER BY 3', v_route, v_row, v_entries)
          USING v_batch LOOP
        IF v_net > 0 THEN
          EXECUTE format('WITH put AS (INSERT INTO %1$s AS t (%2$s) SELECT %3$s FROM (SELECT $1::%4$s AS r OFFSET 0) s, generate_series(1, $2) '
              'RETURNING %5$s AS partman_repartition_row) '
              'SELECT count(*), coalesce(sum(hashtextextended(partman_repartition_row, 0)), 0), coalesce(sum(hashtextextended(partman_repartition_row, 1)), 0) FROM put',
              v_target, v_columns, v_fields, v_staging, v_row) INTO v_rows, v_old_sum0, v_old_sum1 USING v_text, v_net;
          v_moved_rows := v_moved_rows + v_rows;
          v_moved_sum0 := v_moved_sum0 + v_old_sum0;
          v_moved_sum1 := v_moved_sum1 + v_old_sum1;
        ELSE
          v_net := -v_net;
          FOR v_found_table, v_found_row IN EXECUTE format('SELECT t.tableoid::regclass, t.ctid FROM %s t, (SELECT $1::%s AS r OFFSET 0) s '
              'WHERE %s AND %s = $1 LIMIT $2', v_target, v_staging, v_narrow, v_row) USING v_text, v_net LOOP
            EXECUTE format('WITH gone AS (DELETE FROM %s t WHERE ctid = $1 RETURNING %s AS partman_repartition_row) '
                'SELECT count(*), coalesce(sum(hashtextextended(partman_repartition_row, 0)), 0), coalesce(sum(hashtextextended(partman_repartition_row, 1)), 0) FROM gone',
                v_found_table, v_row) INTO v_rows, v_old_sum0, v_old_sum1 USING v_found_row;
            v_moved_rows := v_moved_rows - v_rows;
            v_moved_sum0 := v_moved_sum0 - v_old_sum0;
            v_moved_sum1 := v_moved_sum1 - v_old_sum1;
            v_net := v_net - v_rows;
          END LOOP;
          IF v_net <> 0 THEN
            RAISE EXCEPTION 'repartitionDefault lost track of a row of %: the log removes % more row(s) % than the copies hold',
              v_default_name, v_net, v_text;
          END IF;
        END IF;
      END LOOP;
      EXECUTE format('DELETE FROM %s WHERE partman_repartition_entry = ANY ($1)', v_log) USING v_batch;
    EXCEPTION WHEN OTHERS THEN
      v_failure := SQLERRM;
    END;
    -- A step that failed before the swap: the rows never left the DEFAULT; what the run made goes, its trigger first.
    IF v_failure IS NOT NULL THEN
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
      RAISE EXCEPTION 'repartitionDefault stopped moving the rows of %: %', v_default_name, v_failure
        USING HINT = 'The rows are still in the DEFAULT, and what the run made is removed. Remove the cause and run it again.';
    END IF;
    v_changes := v_changes + cardinality(v_batch);
    COMMIT;
    PERFORM set_config('TimeZone', 'UTC', true);
    -- Rows travel through the log as text: written and read back with these settings, whatever the writers' and the
    -- session's own (a lossy extra_float_digits, an IntervalStyle or DateStyle that reads back otherwise).
    PERFORM set_config('DateStyle', 'ISO, YMD', true);
    PERFORM set_config('IntervalStyle', 'postgres', true);
    PERFORM set_config('extra_float_digits', '3', true);
    PERFORM set_config('bytea_output', 'hex', true);
    PERFORM set_config('lc_monetary', 'C', true);
    EXIT WHEN cardinality(v_batch) < v_batch_size;
  END LOOP;
END LOOP;
