DECLARE
  v_name text := format('%I.%I', @SCHEMA@, @TABLE@);
  v_new_name text := format('%I.%I', @SCHEMA@, @NEW_TABLE@);
  v_old_name text := format('%I.%I', @SCHEMA@, @OLD_TABLE@);
  v_table regclass := to_regclass(format('%I.%I', @SCHEMA@, @OLD_TABLE@));
  v_new regclass := to_regclass(format('%I.%I', @SCHEMA@, @TABLE@));
  v_run_lock int := pg_catalog.hashtext('liquibase-partman partitionExistingTable');
  v_lock_timeout text := @LOCK_TIMEOUT@;
  v_lock_started timestamptz;
  v_holders text;
  v_swapped boolean := false;
  v_oid oid;
  v_other oid;
  v_text text;
  v_other_text text;
  v_carry text[];
  v_problems text;
BEGIN
-- Each step commits, which works only outside a transaction block: inside one this fails at once, before anything is done.
COMMIT;
@CHECKS@
@SESSION@
@RUN_LOCK@
IF v_table IS NULL AND to_regclass(v_new_name) IS NOT NULL AND (SELECT relkind FROM pg_catalog.pg_class WHERE oid = v_new) = 'r' THEN
  -- A rollback killed after its reverse swap committed left the plain table under its name with every row, and the
  -- partitioned table beside it, unused: dropping that is all that is left to do.
  @DROP_NEW@
  PERFORM pg_catalog.pg_advisory_unlock(v_run_lock, pg_catalog.hashtext(v_name));
  RAISE NOTICE 'liquibase-partman: partitionExistingTable %: finished an interrupted rollback; % is the plain table, with every row, and the partitioned table % is dropped',
    @PARENT@, v_name, v_new_name;
  RETURN;
END IF;
IF v_table IS NULL THEN
  RAISE EXCEPTION 'the rollback of partitionExistingTable needs the plain table % the conversion kept, and it is gone: dropPartmanOldTable (or a DROP by hand) made the conversion of % final',
    v_old_name, v_name
    USING HINT = 'Copy the rows into a plain table by hand if you need one.';
END IF;
IF v_new IS NULL OR (SELECT relkind FROM pg_catalog.pg_class WHERE oid = v_new) <> 'p' THEN
  RAISE EXCEPTION 'the rollback of partitionExistingTable needs the partitioned table % and the plain table % the conversion kept; % is missing or not what the conversion left',
    v_name, v_old_name, v_name;
END IF;
IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger WHERE tgrelid = v_new AND tgname = 'partman_back') THEN
  RAISE EXCEPTION 'the rollback of partitionExistingTable: % has no trigger partman_back any more, so % may lack later writes', v_name, v_old_name
    USING HINT = 'Copy the rows back by hand if you need the plain table.';
END IF;
-- The partitioned table's triggers, policies and row-level security go back to the plain table; what cannot is refused
-- now, before anything is done.
@CARRY_FROM_NEW@
-- The reverse swap: the trigger kept the plain table exact, so one transaction gives it its name back. Its lock waits
-- at most lockTimeout at a time.
v_lock_started := clock_timestamp();
LOOP
  BEGIN
    PERFORM set_config('lock_timeout', v_lock_timeout, true);
    EXECUTE format('LOCK TABLE %s, ONLY %s IN ACCESS EXCLUSIVE MODE', v_new, v_table);
    EXECUTE format('DROP TRIGGER partman_back ON %s', v_new);
    EXECUTE format('DROP TRIGGER partman_back_truncate ON %s', v_new);
    EXECUTE format('DROP FUNCTION %I.%I()', @SCHEMA@, @BACK@);
    @CARRY_FROM_NEW@
    -- The plain table's own triggers (disabled since the swap) and policies give way to the partitioned table's, as
    -- they are now: what was changed since the conversion is what the plain table gets.
    FOR v_text IN SELECT t.tgname FROM pg_catalog.pg_trigger t WHERE t.tgrelid = v_table AND @USER_TRIGGER@ LOOP
      EXECUTE format('DROP TRIGGER %I ON %s', v_text, v_table);
    END LOOP;
    FOR v_text IN SELECT polname FROM pg_catalog.pg_policy WHERE polrelid = v_table LOOP
      EXECUTE format('DROP POLICY %I ON %s', v_text, v_table);
    END LOOP;
    @MOVE_NAMES_BACK@
    EXECUTE format('ALTER TABLE %s RENAME TO %I', v_new, @NEW_TABLE@);
    EXECUTE format('ALTER TABLE %s RENAME TO %I', v_table, @TABLE@);
    UPDATE @PART_CONFIG@ SET parent_table = @NEW_PARENT@, automatic_maintenance = 'off' WHERE parent_table = @PARENT@;
    FOREACH v_text IN ARRAY v_carry LOOP
      EXECUTE v_text;
    END LOOP;
    v_swapped := true;
  EXCEPTION WHEN lock_not_available OR deadlock_detected THEN
    IF clock_timestamp() - v_lock_started > interval '1 minute' THEN
      RAISE EXCEPTION 'the rollback of partitionExistingTable could not lock % within a minute (lockTimeout %); sessions holding it: %',
        v_name, v_lock_timeout, (SELECT string_agg(DISTINCT l.pid::text, ', ') FROM pg_catalog.pg_locks l
          WHERE l.relation IN (v_new, v_table) AND l.granted AND l.pid <> pg_backend_pid())
        USING HINT = 'Run it again when those sessions are done, or raise lockTimeout.';
    END IF;
  END;
  EXIT WHEN v_swapped;
  PERFORM pg_sleep(0.01 + random() * 0.04);
END LOOP;
@COMMIT@
@DROP_NEW@
PERFORM pg_catalog.pg_advisory_unlock(v_run_lock, pg_catalog.hashtext(v_name));
RAISE NOTICE 'liquibase-partman: partitionExistingTable %: rolled back; % is the plain table again, with every row, and the partitioned table is dropped',
  @PARENT@, v_name;
END;
