-- lock_timeout stays at lockTimeout until the transaction ends: whatever else it waits for while it holds the
-- lock fails after lockTimeout rather than keep the application waiting behind it.
v_lock_started := clock_timestamp();
LOOP
  BEGIN
    PERFORM set_config('lock_timeout', v_lock_timeout, true);
    @STATEMENTS@
    EXIT;
  EXCEPTION WHEN lock_not_available THEN
    IF clock_timestamp() - v_lock_started > interval '1 minute' THEN
      RAISE EXCEPTION '@CHANGE@ could not lock % within a minute (lockTimeout %); sessions holding it: %',
        @WHAT@, v_lock_timeout, (SELECT string_agg(DISTINCT l.pid::text, ', ') FROM pg_catalog.pg_locks l
          WHERE l.relation = v_table AND l.granted AND l.pid <> pg_backend_pid())
        USING HINT = 'Run it again when those sessions are done, or raise lockTimeout.';
    END IF;
    PERFORM pg_sleep(0.01 + random() * 0.04);
  END;
END LOOP;
