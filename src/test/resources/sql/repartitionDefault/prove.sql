-- The proof: every kept old DEFAULT of this table is read once more, outside any lock (it has left the table, nobody
-- writes it), and dropped only when its rows are exactly what the partitions and the new DEFAULT received: as many,
-- with the same sums of two hashes of each row's text. Otherwise it is kept and the run stops, saying so.
FOR v_old, v_proof IN SELECT format('%I.%I', 'public', c.relname), d.description::jsonb FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_class'::regclass AND d.objsubid = 0
    WHERE c.relnamespace = (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = 'public') AND c.relkind = 'r'
      AND starts_with(c.relname, 'partman_repartition_') AND starts_with(d.description, '{"') AND d.description::jsonb ? 'repartitionDefault'
      AND (d.description::jsonb ->> 'parent')::oid = v_parent
    ORDER BY c.relname LOOP
  IF v_proof ->> 'state' = 'unproven' THEN
    EXECUTE format('SELECT count(*), coalesce(sum(hashtextextended(partman_repartition_row, 0)), 0), coalesce(sum(hashtextextended(partman_repartition_row, 1)), 0) FROM (SELECT %s AS partman_repartition_row FROM ONLY %s t) r',
        v_row, v_old) INTO v_old_rows, v_old_sum0, v_old_sum1;
    IF (v_old_rows, v_old_sum0, v_old_sum1) IS DISTINCT FROM ((v_proof ->> 'rows')::bigint, (v_proof ->> 'sum0')::numeric, (v_proof ->> 'sum1')::numeric) THEN
      EXECUTE format('COMMENT ON TABLE %s IS %L', v_old, jsonb_set(v_proof, '{state}', '"unequal"')::text);
      -- The kept table is all a DBA needs: what else the run made goes now, as no later run would find it.
      BEGIN
        PERFORM set_config('lock_timeout', v_lock_timeout, true);
        EXECUTE format('DROP TABLE IF EXISTS %I.%I, %I.%I', 'public', v_proof ->> 'run', 'public', (v_proof ->> 'run') || '_log');
        EXECUTE format('DROP FUNCTION IF EXISTS %I.%I()', 'public', v_proof ->> 'run');
      EXCEPTION WHEN lock_not_available THEN
        RAISE NOTICE 'liquibase-partman: repartitionDefault %: the tables %_log and % and the function % are left for you to drop (in use)',
          'public.statistics_daily_users', v_proof ->> 'run', v_proof ->> 'run', v_proof ->> 'run';
      END;
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
      RAISE EXCEPTION 'repartitionDefault moved the rows of % into their partitions, but the old DEFAULT, kept as %, holds % row(s) where the partitions and the new DEFAULT received %, or rows that differ',
        'public.statistics_daily_users', v_old, v_old_rows, v_proof ->> 'rows'
        USING HINT = format('Nothing was deleted. Compare %s with the table (SELECT * FROM %s EXCEPT ALL SELECT * FROM %s), put back what is missing, then drop it.',
                            v_old, v_old, v_parent_name);
    END IF;
    v_cleaning := v_proof ->> 'run';
    v_lock_started := clock_timestamp();
    LOOP
      BEGIN
        PERFORM set_config('lock_timeout', v_lock_timeout, true);
        EXECUTE format('DROP TABLE %s', v_old);
        EXECUTE format('DROP TABLE IF EXISTS %I.%I, %I.%I', 'public', v_cleaning, 'public', v_cleaning || '_log');
        EXECUTE format('DROP FUNCTION IF EXISTS %I.%I()', 'public', v_cleaning);
        EXIT;
      EXCEPTION WHEN lock_not_available THEN
        IF clock_timestamp() - v_lock_started > interval '1 minute' THEN
          -- The session may have taken it more than once (the swap, then a split after a kill): each take needs its release.
          FOR v_try IN 1 .. 100 LOOP
            EXIT WHEN NOT EXISTS (SELECT 1 FROM pg_catalog.pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted
                                    AND objsubid = 1 AND objid = (pg_catalog.hashtext('pg_partman run_maintenance')::bigint & 4294967295)::oid);
            PERFORM pg_catalog.pg_advisory_unlock(pg_catalog.hashtext('pg_partman run_maintenance'));
          END LOOP;
          RAISE EXCEPTION 'repartitionDefault proved that % holds only rows the table has, but could not drop it within a minute (lockTimeout %)', v_old, v_lock_timeout
            USING HINT = 'Drop it, and the tables and function named ' || v_cleaning || ', when the sessions reading them are done.';
        END IF;
        PERFORM pg_sleep(0.01 + random() * 0.04);
      END;
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
  ELSE
    RAISE NOTICE 'liquibase-partman: repartitionDefault %: % is kept: it holds rows the table may not have (see the error of the run that made it)', 'public.statistics_daily_users', v_old;
  END IF;
END LOOP;
