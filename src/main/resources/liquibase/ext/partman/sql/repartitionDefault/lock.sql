-- A request that waits queues the application's queries behind it: for a second the tries wait at most
-- v_first_lock_timeout each, a few milliseconds apart, and only then lockTimeout. Once the locks are held, lock_timeout stays at
-- lockTimeout until the transaction ends: whatever else it waits for fails after that rather than keep the
-- application waiting behind it.
v_lock_started := clock_timestamp();
LOOP
  BEGIN
    PERFORM set_config('lock_timeout', CASE WHEN clock_timestamp() - v_lock_started < interval '1 second'
                                            THEN v_first_lock_timeout ELSE v_lock_timeout END, true);
    @LOCK_TABLES@
    PERFORM set_config('lock_timeout', v_lock_timeout, true);
    EXIT;
  EXCEPTION WHEN lock_not_available THEN
    IF clock_timestamp() - v_lock_started > interval '1 minute' THEN
      RAISE EXCEPTION 'repartitionDefault could not take % within a minute (lockTimeout %); sessions holding it: %',
        @WHAT@, v_lock_timeout, (SELECT string_agg(DISTINCT l.pid::text, ', ') FROM pg_catalog.pg_locks l
          WHERE (@HOLDERS@) AND l.granted AND l.pid <> pg_backend_pid())
        USING HINT = 'Run it again when those sessions are done, or raise lockTimeout.';
    END IF;
    PERFORM pg_sleep(0.005 + random() * 0.01);
  END;
END LOOP;
