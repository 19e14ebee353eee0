-- One run per table: a second one would take the first one's copies for a killed run's leftovers. The lock is the
-- session's, so it lasts across this script's commits and ends with the session however the session ends.
-- A holder that is gone by the time it is looked for has just finished: the lock is tried again.
FOR v_try IN 1 .. 10 LOOP
  EXIT WHEN pg_catalog.pg_try_advisory_lock(v_run_lock, v_parent::oid::bigint::bit(32)::int);
  -- A session whose run failed keeps the lock until it ends (a pooled connection, a psql session): it runs nothing.
  SELECT string_agg(l.pid::text, ', '), coalesce(bool_and(a.state LIKE 'idle%'), false) INTO v_holders, v_holder_idle
    FROM pg_catalog.pg_locks l LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
    WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
      AND l.classid = (v_run_lock::bigint & 4294967295)::oid AND l.objid = v_parent::oid;
  CONTINUE WHEN v_holders IS NULL AND v_try < 10;
  IF v_holder_idle THEN
    RAISE EXCEPTION 'session % holds the run lock of a repartitionDefault of % that ended without finishing, and runs nothing now', v_holders, v_default_name
      USING HINT = 'End that session (pg_terminate_backend()) or run SELECT pg_advisory_unlock_all() in it, then run this again.';
  END IF;
  RAISE EXCEPTION 'another repartitionDefault (backend %) is moving the rows of %', v_holders, v_default_name
    USING HINT = 'Wait for it to finish, or end that session with pg_terminate_backend() and run this again.';
END LOOP;
