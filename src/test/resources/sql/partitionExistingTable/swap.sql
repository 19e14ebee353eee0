-- The swap, tried until it succeeds. Each try first applies what the log holds, then waits at most lockTimeout for the
-- plain table's lock, so the swap applies only what arrived in its last moments; readers and writers wait for it, then
-- find the partitioned table under the name (PostgreSQL looks a name up again after waiting for its lock).
-- The trigger that will keep the plain table exact is made now, disabled: under the swap's lock it is only enabled.
EXECUTE format('CREATE FUNCTION %I.%I() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS %L',
    'public', 'statistics_daily_users_partman_back', format('BEGIN '
        'IF TG_OP = ''TRUNCATE'' THEN TRUNCATE %1$s; RETURN NULL; END IF; '
        'IF TG_OP <> ''INSERT'' THEN DELETE FROM ONLY %1$s t WHERE (%2$s) = (%3$s); END IF; '
        'IF TG_OP <> ''DELETE'' THEN INSERT INTO %1$s (%4$s) OVERRIDING SYSTEM VALUE VALUES (%5$s); END IF; '
        'RETURN NULL; END', v_old_name, format(v_key, 't'), format(v_key, 'OLD'), v_columns, v_new_fields));
EXECUTE format('CREATE TRIGGER partman_back AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION %I.%I()', v_new, 'public', 'statistics_daily_users_partman_back');
EXECUTE format('CREATE TRIGGER partman_back_truncate AFTER TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION %I.%I()', v_new, 'public', 'statistics_daily_users_partman_back');
EXECUTE format('ALTER TABLE %s DISABLE TRIGGER partman_back, DISABLE TRIGGER partman_back_truncate', v_new);
COMMIT;
PERFORM set_config('TimeZone', 'UTC', true);
-- Rows travel through the log as text: written and read back with these settings, whatever the writers' and the
-- session's own (a lossy extra_float_digits, an IntervalStyle or DateStyle that reads back otherwise).
PERFORM set_config('DateStyle', 'ISO, YMD', true);
PERFORM set_config('IntervalStyle', 'postgres', true);
PERFORM set_config('extra_float_digits', '3', true);
PERFORM set_config('bytea_output', 'hex', true);
PERFORM set_config('lc_monetary', 'C', true);
v_lock_started := clock_timestamp();
LOOP
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
      EXECUTE format('DROP TRIGGER IF EXISTS partman_log ON %s', v_name);
      EXECUTE format('DROP TRIGGER IF EXISTS partman_log_truncate ON %s', v_name);
      EXECUTE format('DROP FUNCTION IF EXISTS %I.%I()', 'public', 'statistics_daily_users_partman_log');
      EXECUTE format('DROP TABLE IF EXISTS %s', v_log);
      -- The partitioned table a run made, with its partitions, its registration and pg_partman's template table for it.
      -- Nobody but the run uses it: its locks are free.
      SELECT template_table INTO v_text FROM "partman"."part_config" WHERE parent_table = 'public.statistics_daily_users_partman_new';
      DELETE FROM "partman"."part_config_sub" WHERE sub_parent = 'public.statistics_daily_users_partman_new';
      DELETE FROM "partman"."part_config" WHERE parent_table = 'public.statistics_daily_users_partman_new';
      IF v_text IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "partman"."part_config" WHERE template_table = v_text) THEN
        EXECUTE format('DROP TABLE IF EXISTS %I.%I', split_part(v_text, '.', 1), split_part(v_text, '.', 2));
      END IF;
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
  v_failure := NULL;
  v_swapped := false;
  v_changes_unlocked := v_changes;
  BEGIN
    PERFORM set_config('lock_timeout', v_lock_timeout, true);
    EXECUTE format('LOCK TABLE ONLY %s IN ACCESS EXCLUSIVE MODE', v_name);
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
        RAISE;
      END;
      EXIT WHEN v_batch IS NULL;
      v_changes := v_changes + cardinality(v_batch);
      EXIT WHEN cardinality(v_batch) < v_batch_size;
    END LOOP;
    EXECUTE format('DROP TRIGGER partman_log ON %s', v_name);
    EXECUTE format('DROP TRIGGER partman_log_truncate ON %s', v_name);
    -- The indexes of v_new take the names of v_table's with the same definition (and so do the constraints they back).
    FOR v_oid, v_other, v_text IN
        SELECT a.indexrelid, b.indexrelid, (SELECT relname FROM pg_catalog.pg_class WHERE oid = a.indexrelid)
          FROM (SELECT indexrelid, regexp_replace(pg_catalog.pg_get_indexdef(indexrelid), '^.* USING ', '') AS def,
                       row_number() OVER (PARTITION BY regexp_replace(pg_catalog.pg_get_indexdef(indexrelid), '^.* USING ', '') ORDER BY indexrelid) AS n
                  FROM pg_catalog.pg_index WHERE indrelid = v_table) a
          JOIN (SELECT indexrelid, regexp_replace(pg_catalog.pg_get_indexdef(indexrelid), '^.* USING ', '') AS def,
                       row_number() OVER (PARTITION BY regexp_replace(pg_catalog.pg_get_indexdef(indexrelid), '^.* USING ', '') ORDER BY indexrelid) AS n
                  FROM pg_catalog.pg_index WHERE indrelid = v_new) b USING (def, n) LOOP
      EXECUTE format('ALTER INDEX %s RENAME TO %I', v_oid::regclass, left(v_text, 51) || '_partman_old');
      EXECUTE format('ALTER INDEX %s RENAME TO %I', v_other::regclass, v_text);
    END LOOP;
    -- Sequences owned by v_table's columns (serial columns) belong to v_new's from now on.
    FOR v_oid, v_text IN SELECT d.objid, a.attname FROM pg_catalog.pg_depend d
        JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
        WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjid = v_table
          AND d.deptype = 'a' AND EXISTS (SELECT 1 FROM pg_catalog.pg_class s WHERE s.oid = d.objid AND s.relkind = 'S') LOOP
      EXECUTE format('ALTER SEQUENCE %s OWNED BY %s.%I', v_oid::regclass, v_new, v_text);
    END LOOP;
    -- Identity columns: v_new's sequence goes on from where v_table's is, under its name.
    FOR v_other_text IN SELECT attname FROM pg_catalog.pg_attribute WHERE attrelid = v_table AND attidentity <> '' AND attnum > 0 AND NOT attisdropped LOOP
      v_oid := pg_catalog.pg_get_serial_sequence(v_table::text, v_other_text)::regclass;
      v_other := pg_catalog.pg_get_serial_sequence(v_new::text, v_other_text)::regclass;
      EXECUTE format('SELECT pg_catalog.setval(%L, s.last_value, s.is_called) FROM %s s', v_other::regclass::text, v_oid::regclass);
      SELECT relname INTO v_text FROM pg_catalog.pg_class WHERE oid = v_oid;
      EXECUTE format('ALTER SEQUENCE %s RENAME TO %I', v_oid::regclass, left(v_text, 51) || '_partman_old');
      EXECUTE format('ALTER SEQUENCE %s RENAME TO %I', v_other::regclass, v_text);
    END LOOP;
    EXECUTE format('ALTER TABLE %s RENAME TO %I', v_name, 'statistics_daily_users_partman_old');
    EXECUTE format('ALTER TABLE %s RENAME TO %I', v_new_name, 'statistics_daily_users');
    UPDATE "partman"."part_config" SET parent_table = 'public.statistics_daily_users', automatic_maintenance = 'on' WHERE parent_table = 'public.statistics_daily_users_partman_new';
    -- From now on every change to the table is made to the plain one too, in the same transaction: the exact way back.
    EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER partman_back, ENABLE ALWAYS TRIGGER partman_back_truncate', v_new);
    v_swapped := true;
  EXCEPTION WHEN lock_not_available OR deadlock_detected THEN
    v_failure := SQLERRM;
  WHEN OTHERS THEN
    v_failure := SQLERRM;
    v_lock_started := NULL;
  END;
  EXIT WHEN v_swapped;
  v_changes := v_changes_unlocked;
  IF v_lock_started IS NULL OR clock_timestamp() - v_lock_started > interval '1 minute' THEN
    IF v_lock_started IS NOT NULL THEN
      v_failure := format('its lock was not free within a minute (lockTimeout %s); sessions holding it: %s', v_lock_timeout,
          (SELECT string_agg(DISTINCT l.pid::text, ', ') FROM pg_catalog.pg_locks l WHERE l.relation = v_table AND l.granted AND l.pid <> pg_backend_pid()));
    END IF;
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
      EXECUTE format('DROP TRIGGER IF EXISTS partman_log ON %s', v_name);
      EXECUTE format('DROP TRIGGER IF EXISTS partman_log_truncate ON %s', v_name);
      EXECUTE format('DROP FUNCTION IF EXISTS %I.%I()', 'public', 'statistics_daily_users_partman_log');
      EXECUTE format('DROP TABLE IF EXISTS %s', v_log);
      -- The partitioned table a run made, with its partitions, its registration and pg_partman's template table for it.
      -- Nobody but the run uses it: its locks are free.
      SELECT template_table INTO v_text FROM "partman"."part_config" WHERE parent_table = 'public.statistics_daily_users_partman_new';
      DELETE FROM "partman"."part_config_sub" WHERE sub_parent = 'public.statistics_daily_users_partman_new';
      DELETE FROM "partman"."part_config" WHERE parent_table = 'public.statistics_daily_users_partman_new';
      IF v_text IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "partman"."part_config" WHERE template_table = v_text) THEN
        EXECUTE format('DROP TABLE IF EXISTS %I.%I', split_part(v_text, '.', 1), split_part(v_text, '.', 2));
      END IF;
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
  PERFORM pg_sleep(0.01 + random() * 0.04);
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
-- The log and its function, unused since the swap dropped the trigger.
EXECUTE format('DROP FUNCTION %I.%I()', 'public', 'statistics_daily_users_partman_log');
EXECUTE format('DROP TABLE %s', v_log);
COMMIT;
PERFORM set_config('TimeZone', 'UTC', true);
-- Rows travel through the log as text: written and read back with these settings, whatever the writers' and the
-- session's own (a lossy extra_float_digits, an IntervalStyle or DateStyle that reads back otherwise).
PERFORM set_config('DateStyle', 'ISO, YMD', true);
PERFORM set_config('IntervalStyle', 'postgres', true);
PERFORM set_config('extra_float_digits', '3', true);
PERFORM set_config('bytea_output', 'hex', true);
PERFORM set_config('lc_monetary', 'C', true);
