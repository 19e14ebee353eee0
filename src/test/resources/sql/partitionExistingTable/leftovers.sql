-- A killed run changed nothing in the plain table: what it made is removed, its logging trigger first.
IF to_regclass(v_new_name) IS NOT NULL OR to_regclass(v_log) IS NOT NULL
   OR to_regprocedure(format('%I.%I()', 'public', 'statistics_daily_users_partman_log')) IS NOT NULL OR to_regprocedure(format('%I.%I()', 'public', 'statistics_daily_users_partman_back')) IS NOT NULL THEN
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
  RAISE NOTICE 'liquibase-partman: partitionExistingTable %: removed what an interrupted run left', 'public.statistics_daily_users';
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
