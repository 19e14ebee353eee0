-- Slice by slice in key order, each at most batchSize rows, bounded by the keys where it starts and ends (found with
-- the key's index). One statement copies the slice's rows and deletes the slice's log entries it saw (one statement,
-- one snapshot: the changes those entries record are in the copy); the changes logged after that are applied to the
-- copies. v_slice and v_copied are format strings whose argument is the row: t, or a logged row (e.r).
v_copied := 'false';
v_low := NULL;
LOOP
  -- The next slice in key order: v_cut is the key of its last row (NULL when fewer than batchSize rows are left after
  -- v_low: the last slice's end), v_slice its rows, a format string whose argument is the row.
  -- The key is written as SQL for the one row found only: for every row skipped it would cost more than the scan.
  EXECUTE format('SELECT %s FROM (SELECT %s FROM %s t WHERE %s ORDER BY %s OFFSET %s LIMIT 1) t', v_key_literal, v_key_order, 'ONLY ' || v_name,
      CASE WHEN v_low IS NULL THEN 'true' ELSE format(format('ROW(%s) > %s', v_key, replace(v_low, '%', '%%')), 't') END,
      v_key_order, v_batch_size - 1) INTO v_cut;
  v_slice := concat_ws(' AND ', 'true', CASE WHEN v_low IS NOT NULL THEN format('ROW(%s) > %s', v_key, replace(v_low, '%', '%%')) END,
      CASE WHEN v_cut IS NOT NULL THEN format('ROW(%s) <= %s', v_key, replace(v_cut, '%', '%%')) END);
  v_failure := NULL;
  BEGIN
    EXECUTE format('WITH seen AS (DELETE FROM %1$s WHERE partman_entry IN (SELECT e.partman_entry FROM %2$s e WHERE %3$s)) '
        'INSERT INTO %4$s (%5$s) OVERRIDING SYSTEM VALUE SELECT %5$s FROM ONLY %6$s t WHERE %7$s',
        v_log, format(v_entries, 'true'), format(v_slice, '(e.r)'), v_new_name, v_columns, v_name, format(v_slice, 't'));
    -- The INSERT's rows (the DELETE in WITH is not counted): returning them to count them cost more than the copy's
    -- scan, a tuplestore of every row.
    GET DIAGNOSTICS v_rows = ROW_COUNT;
  EXCEPTION WHEN OTHERS THEN
    v_failure := SQLERRM;
  END;
  -- A step that failed before the swap: the plain table is as it was; what the run made goes, its trigger first.
  IF v_failure IS NOT NULL THEN
    -- Dropping the trigger waits for the plain table at most lockTimeout at a time.
    -- lock_timeout stays at lockTimeout until the transaction ends: whatever else it waits for while it holds the
    -- lock fails after lockTimeout rather than keep the application waiting behind it.
    v_lock_started := clock_timestamp();
    LOOP
      BEGIN
        PERFORM set_config('lock_timeout', v_lock_timeout, true);
        EXECUTE format('LOCK TABLE ONLY %s IN ACCESS EXCLUSIVE MODE', v_name);
        EXIT;
      EXCEPTION WHEN lock_not_available THEN
        IF clock_timestamp() - v_lock_started > interval '1 minute' THEN
          RAISE EXCEPTION 'partitionExistingTable could not lock % within a minute (lockTimeout %); sessions holding it: %',
            v_name, v_lock_timeout, (SELECT string_agg(DISTINCT l.pid::text, ', ') FROM pg_catalog.pg_locks l
              WHERE l.relation = v_table AND l.granted AND l.pid <> pg_backend_pid())
            USING HINT = 'Run it again when those sessions are done, or raise lockTimeout.';
        END IF;
        PERFORM pg_sleep(0.01 + random() * 0.04);
      END;
    END LOOP;
    FOR v_text IN SELECT t.tgname FROM pg_catalog.pg_trigger t WHERE t.tgrelid = v_table AND (t.tgfoid IN (coalesce(pg_catalog.to_regprocedure(format('%I.%I()', 'public', 'statistics_daily_users_partman_log'))::oid, 0), coalesce(pg_catalog.to_regprocedure(format('%I.%I()', 'public', 'statistics_daily_users_partman_back'))::oid, 0))) LOOP
      EXECUTE format('DROP TRIGGER %I ON %s', v_text, v_name);
    END LOOP;
    EXECUTE format('DROP FUNCTION IF EXISTS %I.%I()', 'public', 'statistics_daily_users_partman_log');
    EXECUTE format('DROP TABLE IF EXISTS %s', v_log);
    -- The partitioned table a run made, with its partitions, its registration and pg_partman's template table for it (not
    -- a templateTable the changelog named).
    -- Nobody but the run uses it: its locks are free. The partitions go one by one, committed a few at a time: one DROP of
    -- the partitioned table would lock every partition with its indexes at once.
    DELETE FROM "partman"."part_config_sub" WHERE sub_parent = 'public.statistics_daily_users_partman_new';
    DELETE FROM "partman"."part_config" WHERE parent_table = 'public.statistics_daily_users_partman_new' RETURNING template_table INTO v_template;
    IF v_template IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "partman"."part_config" WHERE template_table = v_template) THEN
      EXECUTE format('DROP TABLE IF EXISTS %I.%I', split_part(v_template, '.', 1), split_part(v_template, '.', 2));
    END IF;
    FOR v_text IN SELECT i.inhrelid::regclass::text FROM pg_catalog.pg_inherits i WHERE i.inhparent = to_regclass(v_new_name) LOOP
      EXECUTE format('DROP TABLE %s', v_text);
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
    EXECUTE format('DROP TABLE IF EXISTS %s', v_new_name);
    EXECUTE format('DROP FUNCTION IF EXISTS %I.%I()', 'public', 'statistics_daily_users_partman_back');
    COMMIT;
    PERFORM set_config('TimeZone', 'UTC', true);
    -- Rows travel through the log as text: written and read back with these settings, whatever the writers' and the
    -- session's own (a lossy extra_float_digits, an IntervalStyle or DateStyle that reads back otherwise).
    PERFORM set_config('DateStyle', 'ISO, YMD', true);
    PERFORM set_config('IntervalStyle', 'postgres', true);
    PERFORM set_config('extra_float_digits', '3', true);
    PERFORM set_config('bytea_output', 'hex', true);
    PERFORM set_config('lc_monetary', 'C', true);
    RAISE EXCEPTION 'partitionExistingTable stopped converting %: %', v_name, v_failure
      USING HINT = 'The table is as it was, and what the run made is removed. Remove the cause and run it again.';
  END IF;
  v_copied_rows := v_copied_rows + v_rows;
  v_slices := v_slices + 1;
  RAISE NOTICE 'liquibase-partman: partitionExistingTable %: copy %: % rows (% in all)', 'public.statistics_daily_users', v_slices, v_rows, v_copied_rows;
  COMMIT;
  PERFORM set_config('TimeZone', 'UTC', true);
  -- Rows travel through the log as text: written and read back with these settings, whatever the writers' and the
  -- session's own (a lossy extra_float_digits, an IntervalStyle or DateStyle that reads back otherwise).
  PERFORM set_config('DateStyle', 'ISO, YMD', true);
  PERFORM set_config('IntervalStyle', 'postgres', true);
  PERFORM set_config('extra_float_digits', '3', true);
  PERFORM set_config('bytea_output', 'hex', true);
  PERFORM set_config('lc_monetary', 'C', true);
  v_copied := CASE WHEN v_cut IS NULL THEN 'true' ELSE format('ROW(%s) <= %s', v_key, replace(v_cut, '%', '%%')) END;
  -- Applies the logged changes of the slices copied so far, at most batchSize entries a transaction, in the order they
  -- were logged: per key, the copy's row goes, and the key's last logged version, if it is one, takes its place
  -- (changes to one key are logged in the order they commit: each waits for the one before). Entries of slices not
  -- copied yet wait for their slice's copy, which sees them.
  LOOP
    v_failure := NULL;
    v_batch := NULL;
    BEGIN
      EXECUTE format('SELECT array_agg(partman_entry) FROM (SELECT e.partman_entry FROM %s e WHERE %s ORDER BY 1 LIMIT %s) x',
          format(v_entries, 'true'), format(v_copied, '(e.r)'), v_batch_size) INTO v_batch;
      IF v_batch IS NOT NULL THEN
        EXECUTE format('DELETE FROM %s t WHERE (%s) IN (SELECT %s FROM %s e)', v_new_name, format(v_key, 't'), format(v_key, '(e.r)'),
            format(v_entries, 'l.partman_entry = ANY ($1)')) USING v_batch;
        EXECUTE format('INSERT INTO %s (%s) OVERRIDING SYSTEM VALUE SELECT %s FROM (SELECT DISTINCT ON (%s) e.partman_delta, e.r FROM %s e '
            'ORDER BY %s, e.partman_entry DESC) f WHERE f.partman_delta > 0', v_new_name, v_columns, v_fields, format(v_key, '(e.r)'),
            format(v_entries, 'l.partman_entry = ANY ($1)'), format(v_key, '(e.r)')) USING v_batch;
        EXECUTE format('DELETE FROM %s WHERE partman_entry = ANY ($1)', v_log) USING v_batch;
      END IF;
    EXCEPTION WHEN OTHERS THEN
      v_failure := SQLERRM;
    END;
    -- A step that failed before the swap: the plain table is as it was; what the run made goes, its trigger first.
    IF v_failure IS NOT NULL THEN
      -- Dropping the trigger waits for the plain table at most lockTimeout at a time.
      -- lock_timeout stays at lockTimeout until the transaction ends: whatever else it waits for while it holds the
      -- lock fails after lockTimeout rather than keep the application waiting behind it.
      v_lock_started := clock_timestamp();
      LOOP
        BEGIN
          PERFORM set_config('lock_timeout', v_lock_timeout, true);
          EXECUTE format('LOCK TABLE ONLY %s IN ACCESS EXCLUSIVE MODE', v_name);
          EXIT;
        EXCEPTION WHEN lock_not_available THEN
          IF clock_timestamp() - v_lock_started > interval '1 minute' THEN
            RAISE EXCEPTION 'partitionExistingTable could not lock % within a minute (lockTimeout %); sessions holding it: %',
              v_name, v_lock_timeout, (SELECT string_agg(DISTINCT l.pid::text, ', ') FROM pg_catalog.pg_locks l
                WHERE l.relation = v_table AND l.granted AND l.pid <> pg_backend_pid())
              USING HINT = 'Run it again when those sessions are done, or raise lockTimeout.';
          END IF;
          PERFORM pg_sleep(0.01 + random() * 0.04);
        END;
      END LOOP;
      FOR v_text IN SELECT t.tgname FROM pg_catalog.pg_trigger t WHERE t.tgrelid = v_table AND (t.tgfoid IN (coalesce(pg_catalog.to_regprocedure(format('%I.%I()', 'public', 'statistics_daily_users_partman_log'))::oid, 0), coalesce(pg_catalog.to_regprocedure(format('%I.%I()', 'public', 'statistics_daily_users_partman_back'))::oid, 0))) LOOP
        EXECUTE format('DROP TRIGGER %I ON %s', v_text, v_name);
      END LOOP;
      EXECUTE format('DROP FUNCTION IF EXISTS %I.%I()', 'public', 'statistics_daily_users_partman_log');
      EXECUTE format('DROP TABLE IF EXISTS %s', v_log);
      -- The partitioned table a run made, with its partitions, its registration and pg_partman's template table for it (not
      -- a templateTable the changelog named).
      -- Nobody but the run uses it: its locks are free. The partitions go one by one, committed a few at a time: one DROP of
      -- the partitioned table would lock every partition with its indexes at once.
      DELETE FROM "partman"."part_config_sub" WHERE sub_parent = 'public.statistics_daily_users_partman_new';
      DELETE FROM "partman"."part_config" WHERE parent_table = 'public.statistics_daily_users_partman_new' RETURNING template_table INTO v_template;
      IF v_template IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "partman"."part_config" WHERE template_table = v_template) THEN
        EXECUTE format('DROP TABLE IF EXISTS %I.%I', split_part(v_template, '.', 1), split_part(v_template, '.', 2));
      END IF;
      FOR v_text IN SELECT i.inhrelid::regclass::text FROM pg_catalog.pg_inherits i WHERE i.inhparent = to_regclass(v_new_name) LOOP
        EXECUTE format('DROP TABLE %s', v_text);
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
      EXECUTE format('DROP TABLE IF EXISTS %s', v_new_name);
      EXECUTE format('DROP FUNCTION IF EXISTS %I.%I()', 'public', 'statistics_daily_users_partman_back');
      COMMIT;
      PERFORM set_config('TimeZone', 'UTC', true);
      -- Rows travel through the log as text: written and read back with these settings, whatever the writers' and the
      -- session's own (a lossy extra_float_digits, an IntervalStyle or DateStyle that reads back otherwise).
      PERFORM set_config('DateStyle', 'ISO, YMD', true);
      PERFORM set_config('IntervalStyle', 'postgres', true);
      PERFORM set_config('extra_float_digits', '3', true);
      PERFORM set_config('bytea_output', 'hex', true);
      PERFORM set_config('lc_monetary', 'C', true);
      RAISE EXCEPTION 'partitionExistingTable stopped converting %: %', v_name, v_failure
        USING HINT = 'The table is as it was, and what the run made is removed. Remove the cause and run it again.';
    END IF;
    EXIT WHEN v_batch IS NULL;
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
  EXIT WHEN v_cut IS NULL;
  v_low := v_cut;
END LOOP;
