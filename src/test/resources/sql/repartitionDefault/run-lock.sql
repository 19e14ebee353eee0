-- One run per table: a second one would take the first one's copies for a killed run's leftovers. The lock is the
-- session's, so it lasts across this script's commits and ends with the session however the session ends.
IF NOT pg_catalog.pg_try_advisory_lock(v_run_lock, v_parent::oid::bigint::bit(32)::int) THEN
  RAISE EXCEPTION 'another repartitionDefault (backend %) is moving the rows of %',
    (SELECT string_agg(l.pid::text, ', ') FROM pg_catalog.pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
       AND l.classid = (v_run_lock::bigint & 4294967295)::oid AND l.objid = v_parent::oid),
    v_default_name
    USING HINT = 'Wait for it to finish, or end that session with pg_terminate_backend() and run this again.';
END IF;
