-- The parent's foreign keys, made and checked on each partition now: ATTACH then takes them as they are, rather than
-- reading every row of the partition inside the swap. Adding one waits a moment for writers of the table it references.
FOR v_constraint, v_definition, v_referenced IN SELECT conname, pg_catalog.pg_get_constraintdef(oid), confrelid::regclass::text
    FROM pg_catalog.pg_constraint WHERE conrelid = v_parent AND contype = 'f' AND convalidated LOOP
  FOREACH v_name IN ARRAY array_remove(v_names, NULL) LOOP
    v_partition := format('%I.%I', 'public', v_name);
    -- A request that waits queues the application's queries behind it: for a second the tries wait at most
    -- v_first_lock_timeout each, a few milliseconds apart, and only then lockTimeout. Once the locks are held, lock_timeout stays at
    -- lockTimeout until the transaction ends: whatever else it waits for fails after that rather than keep the
    -- application waiting behind it.
    v_lock_started := clock_timestamp();
    LOOP
      BEGIN
        PERFORM set_config('lock_timeout', CASE WHEN clock_timestamp() - v_lock_started < interval '1 second'
                                                THEN v_first_lock_timeout ELSE v_lock_timeout END, true);
        EXECUTE format('LOCK TABLE ONLY %s IN ACCESS EXCLUSIVE MODE', v_partition);
        EXECUTE format('LOCK TABLE ONLY %s IN SHARE ROW EXCLUSIVE MODE', v_referenced);
        PERFORM set_config('lock_timeout', v_lock_timeout, true);
        EXIT;
      EXCEPTION WHEN lock_not_available THEN
        IF clock_timestamp() - v_lock_started > interval '1 minute' THEN
          RAISE EXCEPTION 'repartitionDefault could not take % within a minute (lockTimeout %); sessions holding it: %',
            v_referenced, v_lock_timeout, (SELECT string_agg(DISTINCT l.pid::text, ', ') FROM pg_catalog.pg_locks l
              WHERE (l.relation IN (v_referenced::regclass, v_partition::regclass)) AND l.granted AND l.pid <> pg_backend_pid())
            USING HINT = 'Run it again when those sessions are done, or raise lockTimeout.';
        END IF;
        PERFORM pg_sleep(0.005 + random() * 0.01);
      END;
    END LOOP;
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s NOT VALID', v_partition, v_constraint, v_definition);
    COMMIT;
    PERFORM set_config('TimeZone', 'UTC', true);
    -- Rows travel through the log as text: written and read back with these settings, whatever the writers' and the
    -- session's own (a lossy extra_float_digits, an IntervalStyle or DateStyle that reads back otherwise).
    PERFORM set_config('DateStyle', 'ISO, YMD', true);
    PERFORM set_config('IntervalStyle', 'postgres', true);
    PERFORM set_config('extra_float_digits', '3', true);
    PERFORM set_config('bytea_output', 'hex', true);
    PERFORM set_config('lc_monetary', 'C', true);
    EXECUTE format('ALTER TABLE %s VALIDATE CONSTRAINT %I', v_partition, v_constraint);
    COMMIT;
    PERFORM set_config('TimeZone', 'UTC', true);
    -- Rows travel through the log as text: written and read back with these settings, whatever the writers' and the
    -- session's own (a lossy extra_float_digits, an IntervalStyle or DateStyle that reads back otherwise).
    PERFORM set_config('DateStyle', 'ISO, YMD', true);
    PERFORM set_config('IntervalStyle', 'postgres', true);
    PERFORM set_config('extra_float_digits', '3', true);
    PERFORM set_config('bytea_output', 'hex', true);
    PERFORM set_config('lc_monetary', 'C', true);
  END LOOP;
END LOOP;
-- The swap: the old DEFAULT leaves the table whole, with every row it holds, and the new one takes its place and its
-- name, beside the partitions; readers and writers wait for it on the parent, then find the rows in the partitions.
-- Each try first applies what the log holds, then waits at most lockTimeout for each lock, so the swap applies only
-- what arrived in its last moments. Nothing is deleted: the old DEFAULT is dropped once its rows are proven copied.
v_chunked := EXISTS (SELECT 1 FROM unnest(v_names) n WHERE starts_with(n, v_run));
IF v_chunked THEN
  -- From the swap until the last split step pg_partman's maintenance is held off: 4.7 takes a chunk for the partition
  -- of its first range alone, and would try to make partitions inside it.
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
v_lock_started := clock_timestamp();
LOOP
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
  v_maintenance_started := clock_timestamp();
  WHILE NOT pg_catalog.pg_try_advisory_xact_lock(pg_catalog.hashtext('pg_partman run_maintenance')) LOOP
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
  v_failure := NULL;
  v_swapped := false;
  v_saved_rows := v_moved_rows;
  v_saved_sum0 := v_moved_sum0;
  v_saved_sum1 := v_moved_sum1;
  v_changes_unlocked := v_changes;
  BEGIN
    PERFORM set_config('lock_timeout', v_lock_timeout, true);
    EXECUTE format('LOCK TABLE ONLY %s, ONLY %s IN ACCESS EXCLUSIVE MODE', v_parent_name, v_default_name);
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
        RAISE;
      END;
      v_changes := v_changes + cardinality(v_batch);
      EXIT WHEN cardinality(v_batch) < v_batch_size;
    END LOOP;
    EXECUTE format('DROP TRIGGER %I ON %s', v_run, v_default_name);
    EXECUTE format('DROP TRIGGER %I ON %s', v_run || '_truncate', v_default_name);
    EXECUTE format('ALTER TABLE %s DETACH PARTITION %s', v_parent_name, v_default_name);
    v_old := v_run || '_old_' || to_char(clock_timestamp(), 'YYYYMMDD_HH24MISS');
    -- The new DEFAULT's indexes (LIKE made them in the old one's order) take the old one's index names.
    FOR v_found_table, v_name, v_text IN
        WITH old AS (SELECT indexrelid, row_number() OVER (ORDER BY indexrelid) AS n FROM pg_catalog.pg_index WHERE indrelid = v_default),
             fresh AS (SELECT indexrelid, row_number() OVER (ORDER BY indexrelid) AS n FROM pg_catalog.pg_index WHERE indrelid = v_fresh::regclass)
        SELECT fresh.indexrelid::regclass, old.indexrelid::regclass::text, (SELECT relname FROM pg_catalog.pg_class WHERE oid = old.indexrelid)
          FROM old JOIN fresh USING (n)
          WHERE regexp_replace(pg_catalog.pg_get_indexdef(old.indexrelid), '^.* USING ', '')
              = regexp_replace(pg_catalog.pg_get_indexdef(fresh.indexrelid), '^.* USING ', '') LOOP
      EXECUTE format('ALTER INDEX %s RENAME TO %I', v_name, left(v_old, 40) || '_' || left(md5(v_text), 16));
      EXECUTE format('ALTER INDEX %s RENAME TO %I', v_found_table, v_text);
    END LOOP;
    EXECUTE format('ALTER TABLE %s RENAME TO %I', v_default_name, v_old);
    EXECUTE format('ALTER TABLE %s RENAME TO %I', v_fresh, v_default_relname);
    EXECUTE format('ALTER TABLE %s ATTACH PARTITION %s DEFAULT', v_parent_name, v_default_name);
    v_name := v_default_relname;
    FOR k IN 1 .. cardinality(v_names) LOOP
      CONTINUE WHEN v_names[k] IS NULL;
      EXECUTE format('ALTER TABLE %s ATTACH PARTITION %I.%I FOR VALUES FROM (%L) TO (%L)',
          v_parent_name, 'public', v_names[k], v_lows[k], v_highs[k]);
      v_name := v_names[k];
    END LOOP;
    -- pg_partman would take the newest chunk for the partition of its first range alone and fail to make the next
    -- one inside it, which stops maintenance of every set: this set is left out of maintenance until the last split
    -- step, and each chunk keeps the setting that step gives back (a rerun after a kill finds it there).
    IF v_chunked THEN
      SELECT automatic_maintenance INTO v_maintenance_was FROM "partman"."part_config" WHERE parent_table = 'public.statistics_daily_users';
      UPDATE "partman"."part_config" SET automatic_maintenance = 'off' WHERE parent_table = 'public.statistics_daily_users';
      FOR k IN 1 .. cardinality(v_names) LOOP
        CONTINUE WHEN v_names[k] IS NULL OR NOT starts_with(v_names[k], v_run);
        EXECUTE format('COMMENT ON TABLE %I.%I IS %L', 'public', v_names[k], 'automatic_maintenance ' || v_maintenance_was);
      END LOOP;
    END IF;
    -- What the partitions and the new DEFAULT received, for the proof.
    v_proof := jsonb_build_object('repartitionDefault', 'public.statistics_daily_users', 'parent', v_parent::oid, 'run', v_run, 'state', 'unproven',
        'rows', v_moved_rows, 'sum0', v_moved_sum0::text, 'sum1', v_moved_sum1::text);
    EXECUTE format('COMMENT ON TABLE %I.%I IS %L', 'public', v_old, v_proof::text);
    v_swapped := true;
  EXCEPTION WHEN lock_not_available OR deadlock_detected THEN
    v_failure := SQLERRM;
  WHEN OTHERS THEN
    v_failure := SQLERRM;
    v_lock_started := NULL;
  END;
  EXIT WHEN v_swapped;
  -- The try was undone: so are its sums (kept apart from the catch-up's own variables, which it overwrote).
  v_changes := v_changes_unlocked;
  v_moved_rows := v_saved_rows;
  v_moved_sum0 := v_saved_sum0;
  v_moved_sum1 := v_saved_sum1;
  IF v_lock_started IS NULL OR clock_timestamp() - v_lock_started > interval '1 minute' THEN
    IF v_lock_started IS NOT NULL THEN
      v_failure := format('its locks were not free within a minute (lockTimeout %s); sessions holding them: %s', v_lock_timeout,
          (SELECT string_agg(DISTINCT l.pid::text, ', ') FROM pg_catalog.pg_locks l
           WHERE l.relation IN (v_parent, v_default) AND l.granted AND l.pid <> pg_backend_pid()));
    END IF;
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
    -- The session may have taken it more than once (the swap, then a split after a kill): each take needs its release.
    FOR v_try IN 1 .. 100 LOOP
      EXIT WHEN NOT EXISTS (SELECT 1 FROM pg_catalog.pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted
                              AND objsubid = 1 AND objid = (pg_catalog.hashtext('pg_partman run_maintenance')::bigint & 4294967295)::oid);
      PERFORM pg_catalog.pg_advisory_unlock(pg_catalog.hashtext('pg_partman run_maintenance'));
    END LOOP;
    RAISE EXCEPTION 'repartitionDefault could not move the rows of % into their partitions: %', v_default_name, v_failure
      USING HINT = 'The rows are still in the DEFAULT. Remove the cause and run it again.';
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
EXECUTE format('SELECT count(*) FROM ONLY %s', v_default_name) INTO v_rest;
-- Chunks are not partitions yet: the split step makes those.
v_created := v_created || ARRAY(SELECT n FROM unnest(v_names) n WHERE n IS NOT NULL AND NOT starts_with(n, v_run));
RAISE NOTICE 'liquibase-partman: repartitionDefault %: pass %: % rows copied and % logged changes applied (% of them under the swap''s locks), now in % partition(s); % rows arrived for other ranges meanwhile',
  'public.statistics_daily_users', v_pass, v_copied_rows, v_changes, v_changes - v_changes_unlocked, cardinality(array_remove(v_names, NULL)), v_rest;
COMMIT;
PERFORM set_config('TimeZone', 'UTC', true);
-- Rows travel through the log as text: written and read back with these settings, whatever the writers' and the
-- session's own (a lossy extra_float_digits, an IntervalStyle or DateStyle that reads back otherwise).
PERFORM set_config('DateStyle', 'ISO, YMD', true);
PERFORM set_config('IntervalStyle', 'postgres', true);
PERFORM set_config('extra_float_digits', '3', true);
PERFORM set_config('bytea_output', 'hex', true);
PERFORM set_config('lc_monetary', 'C', true);
-- The partitions hold the rows now: nothing may take them for a killed run's leftovers any more,
-- though their bounds constraints stay a moment longer (a later backend can have the same pid).
FOREACH v_name IN ARRAY array_remove(v_names, NULL) LOOP
  EXECUTE format('COMMENT ON CONSTRAINT partman_repartition_bounds ON %I.%I IS NULL', 'public', v_name);
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
FOR v_bounded IN SELECT c.conrelid::regclass FROM pg_catalog.pg_constraint c JOIN pg_catalog.pg_inherits i ON i.inhrelid = c.conrelid
    WHERE i.inhparent = v_parent AND c.conname = 'partman_repartition_bounds' LOOP
  -- A request that waits queues the application's queries behind it: for a second the tries wait at most
  -- v_first_lock_timeout each, a few milliseconds apart, and only then lockTimeout. Once the locks are held, lock_timeout stays at
  -- lockTimeout until the transaction ends: whatever else it waits for fails after that rather than keep the
  -- application waiting behind it.
  v_lock_started := clock_timestamp();
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', CASE WHEN clock_timestamp() - v_lock_started < interval '1 second'
                                              THEN v_first_lock_timeout ELSE v_lock_timeout END, true);
      EXECUTE format('LOCK TABLE ONLY %s IN ACCESS EXCLUSIVE MODE', v_bounded);
      PERFORM set_config('lock_timeout', v_lock_timeout, true);
      EXIT;
    EXCEPTION WHEN lock_not_available THEN
      IF clock_timestamp() - v_lock_started > interval '1 minute' THEN
        RAISE EXCEPTION 'repartitionDefault could not take % within a minute (lockTimeout %); sessions holding it: %',
          v_bounded::text, v_lock_timeout, (SELECT string_agg(DISTINCT l.pid::text, ', ') FROM pg_catalog.pg_locks l
            WHERE (l.relation = v_bounded) AND l.granted AND l.pid <> pg_backend_pid())
          USING HINT = 'Run it again when those sessions are done, or raise lockTimeout.';
      END IF;
      PERFORM pg_sleep(0.005 + random() * 0.01);
    END;
  END LOOP;
  EXECUTE format('ALTER TABLE %s DROP CONSTRAINT partman_repartition_bounds', v_bounded);
  COMMIT;
  PERFORM set_config('TimeZone', 'UTC', true);
  -- Rows travel through the log as text: written and read back with these settings, whatever the writers' and the
  -- session's own (a lossy extra_float_digits, an IntervalStyle or DateStyle that reads back otherwise).
  PERFORM set_config('DateStyle', 'ISO, YMD', true);
  PERFORM set_config('IntervalStyle', 'postgres', true);
  PERFORM set_config('extra_float_digits', '3', true);
  PERFORM set_config('bytea_output', 'hex', true);
  PERFORM set_config('lc_monetary', 'C', true);
END LOOP;
