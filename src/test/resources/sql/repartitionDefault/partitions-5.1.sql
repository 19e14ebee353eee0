-- The partitions and chunks, as that version's create_partition_time makes partitions, beside the table (a copy
-- attaches a slice's targets to the staging table for as long as it writes to them). The plan's locks are released
-- first: maintenance may be waiting for them while holding its own lock.
COMMIT;
PERFORM set_config('TimeZone', 'UTC', true);
-- Rows travel through the log as text: written and read back with these settings, whatever the writers' and the
-- session's own (a lossy extra_float_digits, an IntervalStyle or DateStyle that reads back otherwise).
PERFORM set_config('DateStyle', 'ISO, YMD', true);
PERFORM set_config('IntervalStyle', 'postgres', true);
PERFORM set_config('extra_float_digits', '3', true);
PERFORM set_config('bytea_output', 'hex', true);
PERFORM set_config('lc_monetary', 'C', true);
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
FOR k IN 1 .. cardinality(v_lows) LOOP
  IF to_regclass(format('%I.%I', 'public', v_names[k])) IS NOT NULL THEN
    -- Maintenance made this empty range's partition since the plan (before it held its lock).
    v_names[k] := NULL;
    CONTINUE;
  END IF;
  EXECUTE format('CREATE TABLE %I.%I (LIKE %s INCLUDING COMMENTS INCLUDING CONSTRAINTS INCLUDING DEFAULTS INCLUDING GENERATED INCLUDING INDEXES, '
      'CONSTRAINT partman_repartition_bounds CHECK (%I IS NOT NULL AND %I >= %L::%s AND %I < %L::%s))%s',
      'public', v_names[k], v_parent_name, v_config.control, v_config.control, v_lows[k], v_control_type,
      v_config.control, v_highs[k], v_control_type, v_tablespace);
  -- Names the run, so that a killed run's partitions are found while they are not attached.
  EXECUTE format('COMMENT ON CONSTRAINT partman_repartition_bounds ON %I.%I IS %L', 'public', v_names[k], v_run);
  IF v_config.template_table IS NOT NULL THEN
    PERFORM "partman"."inherit_template_properties"('public.statistics_daily_users', 'public', v_names[k]);
  END IF;
  IF v_config.inherit_privileges THEN
    PERFORM "partman"."apply_privileges"('public', 'statistics_daily_users', 'public', v_names[k]);
  END IF;
  IF starts_with(v_names[k], v_run) THEN
    -- The new DEFAULT (empty still) never holds a row of a chunk's span: each ATTACH of a split step skips reading it.
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I CHECK (NOT (%I >= %L::%s AND %I < %L::%s))', v_fresh, v_names[k],
        v_config.control, v_lows[k], v_control_type, v_config.control, v_highs[k], v_control_type);
  END IF;
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
  END IF;
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
RAISE NOTICE 'liquibase-partman: repartitionDefault %: % rows to copy into % partition(s) and chunk(s) %..% in % slice(s)',
  'public.statistics_daily_users', v_planned, cardinality(array_remove(v_names, NULL)), v_lows[1], v_highs[cardinality(v_highs)], cardinality(v_slice_lows);
-- Where a logged change applies: the partition or chunk of its row's range, or the new DEFAULT for a range not planned.
SELECT 'CASE WHEN false THEN NULL' || coalesce(string_agg(format(' WHEN t.%1$I >= %2$L::%4$s AND t.%1$I < %3$L::%4$s THEN %5$L',
           v_config.control, lo, hi, v_control_type, format('%I.%I', 'public', name)), '' ORDER BY k), '') || format(' ELSE %L END', v_fresh)
  INTO v_route FROM unnest(v_lows, v_highs, v_names) WITH ORDINALITY u(lo, hi, name, k) WHERE name IS NOT NULL;
