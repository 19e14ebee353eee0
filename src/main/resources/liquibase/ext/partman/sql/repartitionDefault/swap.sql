-- The parent's foreign keys, made and checked on each partition now: ATTACH then takes them as they are, rather than
-- reading every row of the partition inside the swap. Adding one waits a moment for writers of the table it references.
FOR v_constraint, v_definition, v_referenced IN SELECT conname, pg_catalog.pg_get_constraintdef(oid), confrelid::regclass::text
    FROM pg_catalog.pg_constraint WHERE conrelid = v_parent AND contype = 'f' AND convalidated LOOP
  FOREACH v_name IN ARRAY array_remove(v_names, NULL) LOOP
    v_partition := format('%I.%I', @SCHEMA@, v_name);
    @LOCK_REFERENCED@
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s NOT VALID', v_partition, v_constraint, v_definition);
    @COMMIT@
    EXECUTE format('ALTER TABLE %s VALIDATE CONSTRAINT %I', v_partition, v_constraint);
    @COMMIT@
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
  @HOLD_MAINTENANCE@
END IF;
v_lock_started := clock_timestamp();
LOOP
  @CATCH_UP@
  @LOCK_MAINTENANCE@
  v_failure := NULL;
  v_swapped := false;
  v_saved_rows := v_moved_rows;
  v_saved_sum0 := v_moved_sum0;
  v_saved_sum1 := v_moved_sum1;
  v_changes_unlocked := v_changes;
  BEGIN
    PERFORM set_config('lock_timeout', v_lock_timeout, true);
    EXECUTE format('LOCK TABLE ONLY %s, ONLY %s IN ACCESS EXCLUSIVE MODE', v_parent_name, v_default_name);
    @APPLY_REST_OF_LOG@
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
    @REPLICA_IDENTITY@
    FOR k IN 1 .. cardinality(v_names) LOOP
      CONTINUE WHEN v_names[k] IS NULL;
      EXECUTE format('ALTER TABLE %s ATTACH PARTITION %I.%I FOR VALUES FROM (%L) TO (%L)',
          v_parent_name, @SCHEMA@, v_names[k], v_lows[k], v_highs[k]);
      v_name := v_names[k];
      @REPLICA_IDENTITY@
    END LOOP;
    -- pg_partman would take the newest chunk for the partition of its first range alone and fail to make the next
    -- one inside it, which stops maintenance of every set: this set is left out of maintenance until the last split
    -- step, and each chunk keeps the setting that step gives back (a rerun after a kill finds it there).
    IF v_chunked THEN
      SELECT automatic_maintenance INTO v_maintenance_was FROM @PART_CONFIG@ WHERE parent_table = @PARENT@;
      UPDATE @PART_CONFIG@ SET automatic_maintenance = 'off' WHERE parent_table = @PARENT@;
      FOR k IN 1 .. cardinality(v_names) LOOP
        CONTINUE WHEN v_names[k] IS NULL OR NOT starts_with(v_names[k], v_run);
        EXECUTE format('COMMENT ON TABLE %I.%I IS %L', @SCHEMA@, v_names[k], 'automatic_maintenance ' || v_maintenance_was);
      END LOOP;
    END IF;
    -- What the partitions and the new DEFAULT received, for the proof.
    v_proof := jsonb_build_object('repartitionDefault', @PARENT@, 'parent', v_parent::oid, 'run', v_run, 'state', 'unproven',
        'rows', v_moved_rows, 'sum0', v_moved_sum0::text, 'sum1', v_moved_sum1::text);
    EXECUTE format('COMMENT ON TABLE %I.%I IS %L', @SCHEMA@, v_old, v_proof::text);
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
    @CLEAN_UP@
    @COMMIT@
    @RELEASE_MAINTENANCE@
    RAISE EXCEPTION 'repartitionDefault could not move the rows of % into their partitions: %', v_default_name, v_failure
      USING HINT = 'The rows are still in the DEFAULT. Remove the cause and run it again.';
  END IF;
  @COMMIT@
  PERFORM pg_sleep(0.01 + random() * 0.04);
END LOOP;
EXECUTE format('SELECT count(*) FROM ONLY %s', v_default_name) INTO v_rest;
-- Chunks are not partitions yet: the split step makes those.
v_created := v_created || ARRAY(SELECT n FROM unnest(v_names) n WHERE n IS NOT NULL AND NOT starts_with(n, v_run));
RAISE NOTICE 'liquibase-partman: repartitionDefault %: pass %: % rows copied and % logged changes applied (% of them under the swap''s locks), now in % partition(s); % rows arrived for other ranges meanwhile',
  @PARENT@, v_pass, v_copied_rows, v_changes, v_changes - v_changes_unlocked, cardinality(array_remove(v_names, NULL)), v_rest;
@COMMIT@
-- The partitions hold the rows now: nothing may take them for a killed run's leftovers any more,
-- though their bounds constraints stay a moment longer (a later backend can have the same pid).
FOREACH v_name IN ARRAY array_remove(v_names, NULL) LOOP
  EXECUTE format('COMMENT ON CONSTRAINT @BOUNDS@ ON %I.%I IS NULL', @SCHEMA@, v_name);
END LOOP;
@COMMIT@
@DROP_BOUNDS@
