-- One run per table. The lock is the session's, so it lasts across this script's commits and ends with the session
-- however the session ends.
IF NOT pg_catalog.pg_try_advisory_lock(v_run_lock, pg_catalog.hashtext(v_name)) THEN
  SELECT string_agg(l.pid::text, ', ') INTO v_holders FROM pg_catalog.pg_locks l
    WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
      AND l.classid = (v_run_lock::bigint & 4294967295)::oid AND l.objid = (pg_catalog.hashtext(v_name)::bigint & 4294967295)::oid;
  RAISE EXCEPTION 'another partitionExistingTable (backend %) is converting %', v_holders, v_name
    USING HINT = 'Wait for it to finish, or end that session with pg_terminate_backend() and run this again.';
END IF;
