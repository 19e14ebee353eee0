-- A killed run's trigger, tables and function hold copies only: its rows are still in the DEFAULT. Nothing else runs
-- for this table (the run lock), so whatever a run left belongs to a run that has ended, this session's included.
FOREACH v_cleaning IN ARRAY ARRAY(SELECT DISTINCT substring(tgname from '^' || 'partman_repartition_' || '[0-9]+') FROM pg_catalog.pg_trigger
    WHERE tgrelid = v_default AND starts_with(tgname, 'partman_repartition_')) LOOP
  -- Everything it drops is locked first, at once and within lockTimeout: no DROP then waits while the DEFAULT is held.
  -- The partitions a run made are known by their bounds constraint's comment (those attached to its staging table go with it).
  v_leftovers := ARRAY(SELECT c.conrelid::regclass FROM pg_catalog.pg_constraint c
      WHERE c.conname = 'partman_repartition_bounds' AND c.connamespace = (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = 'public')
        AND pg_catalog.obj_description(c.oid, 'pg_constraint') = v_cleaning
        AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i WHERE i.inhrelid = c.conrelid));
  v_locking := ARRAY[v_default] || array_remove(ARRAY[to_regclass(format('%I.%I', 'public', v_cleaning)),
      to_regclass(format('%I.%I', 'public', v_cleaning || '_log')), to_regclass(format('%I.%I', 'public', v_cleaning || '_default'))], NULL)
      || v_leftovers;
  -- lock_timeout stays at lockTimeout until the transaction ends: whatever else it waits for while it holds these
  -- locks fails after lockTimeout rather than keep the application waiting behind it.
  v_lock_started := clock_timestamp();
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', v_lock_timeout, true);
      EXECUTE format('LOCK TABLE ONLY %s IN ACCESS EXCLUSIVE MODE', array_to_string(v_locking, ', ONLY '));
      EXIT;
    EXCEPTION WHEN lock_not_available THEN
      IF clock_timestamp() - v_lock_started > interval '1 minute' THEN
        RAISE EXCEPTION 'repartitionDefault could not take % within a minute (lockTimeout %); sessions holding it: %',
          array_to_string(v_locking, ', '), v_lock_timeout, (SELECT string_agg(DISTINCT l.pid::text, ', ') FROM pg_catalog.pg_locks l
            WHERE (l.relation = ANY (v_locking::oid[])) AND l.granted AND l.pid <> pg_backend_pid())
          USING HINT = 'Run it again when those sessions are done, or raise lockTimeout.';
      END IF;
      PERFORM pg_sleep(0.01 + random() * 0.04);
    END;
  END LOOP;
  EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', v_cleaning, v_default_name);
  EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', v_cleaning || '_truncate', v_default_name);
  EXECUTE format('DROP TABLE IF EXISTS %I.%I, %I.%I, %I.%I', 'public', v_cleaning, 'public', v_cleaning || '_log', 'public', v_cleaning || '_default');
  EXECUTE format('DROP FUNCTION IF EXISTS %I.%I()', 'public', v_cleaning);
  FOREACH v_bounded IN ARRAY v_leftovers LOOP
    EXECUTE format('DROP TABLE %s', v_bounded);
  END LOOP;
  RAISE NOTICE 'liquibase-partman: repartitionDefault %: removed what an interrupted run left (%)', 'public.statistics_daily_users', v_cleaning;
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
-- A run killed after its swap left the old DEFAULT, unproven.
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
-- Bounds constraints left on attached partitions by a run killed right after its swap.
FOR v_bounded IN SELECT c.conrelid::regclass FROM pg_catalog.pg_constraint c JOIN pg_catalog.pg_inherits i ON i.inhrelid = c.conrelid
    WHERE i.inhparent = v_parent AND c.conname = 'partman_repartition_bounds' LOOP
  -- lock_timeout stays at lockTimeout until the transaction ends: whatever else it waits for while it holds these
  -- locks fails after lockTimeout rather than keep the application waiting behind it.
  v_lock_started := clock_timestamp();
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', v_lock_timeout, true);
      EXECUTE format('LOCK TABLE ONLY %s IN ACCESS EXCLUSIVE MODE', v_bounded);
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
  -- Rows travel through the log as text: written and read back with these settings, whatever the writers' and the
  -- session's own (a lossy extra_float_digits, an IntervalStyle or DateStyle that reads back otherwise).
  PERFORM set_config('DateStyle', 'ISO, YMD', true);
  PERFORM set_config('IntervalStyle', 'postgres', true);
  PERFORM set_config('extra_float_digits', '3', true);
  PERFORM set_config('bytea_output', 'hex', true);
  PERFORM set_config('lc_monetary', 'C', true);
END LOOP;
