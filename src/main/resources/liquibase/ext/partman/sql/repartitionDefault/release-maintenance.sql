-- The session may have taken it more than once (the swap, then a split after a kill): each take needs its release.
FOR v_try IN 1 .. 100 LOOP
  EXIT WHEN NOT EXISTS (SELECT 1 FROM pg_catalog.pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted
                          AND objsubid = 1 AND objid = (pg_catalog.hashtext('pg_partman run_maintenance')::bigint & 4294967295)::oid);
  PERFORM pg_catalog.pg_advisory_unlock(pg_catalog.hashtext('pg_partman run_maintenance'));
END LOOP;
