v_maintenance_started := clock_timestamp();
WHILE NOT pg_catalog.@TRY_LOCK@(pg_catalog.hashtext('pg_partman run_maintenance')) LOOP
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
      @PARENT@, v_holders;
    EXIT;
  END IF;
  IF clock_timestamp() - v_maintenance_started > interval '10 minutes' THEN
    RAISE EXCEPTION 'repartitionDefault waited 10 minutes in vain for pg_partman''s maintenance to finish; sessions holding its lock: %', v_holders
      USING HINT = 'Run it again when that maintenance is done.';
  END IF;
  PERFORM pg_sleep(0.01 + random() * 0.04);
END LOOP;
