DECLARE
  v_name text := format('%I.%I', @SCHEMA@, @TABLE@);
  v_new_name text := format('%I.%I', @SCHEMA@, @NEW_TABLE@);
  v_old_name text := format('%I.%I', @SCHEMA@, @OLD_TABLE@);
  v_table regclass := to_regclass(format('%I.%I', @SCHEMA@, @OLD_TABLE@));
  v_new regclass := to_regclass(format('%I.%I', @SCHEMA@, @TABLE@));
  v_run_lock int := pg_catalog.hashtext('liquibase-partman partitionExistingTable');
  v_batch_size bigint := @BATCH_SIZE@;
  v_lock_timeout text := @LOCK_TIMEOUT@;
  -- The reconciliation's row locks wait at most lockTimeout, and less than PostgreSQL waits before it looks for a
  -- deadlock: in a deadlock with a writer, the reconciliation gives way before the writer could be the one to fail.
  v_row_lock_timeout text := greatest(1, floor(1000 * extract(epoch FROM least(@LOCK_TIMEOUT@::interval,
      pg_catalog.current_setting('deadlock_timeout')::interval / 2))))::bigint || 'ms';
  v_lock_started timestamptz;
  v_holders text;
  v_swapped boolean := false;
  -- The partitioned table's partitions as they are, each with its storage (relfilenode): TRUNCATE gives a partition a
  -- new one, DETACH, DROP and ATTACH change the list, all under an ACCESS EXCLUSIVE lock on the partition.
  v_tree_query text := 'SELECT string_agg(c.oid::text || '':'' || c.relfilenode, '','' ORDER BY c.oid) '
      'FROM pg_catalog.pg_partition_tree($1) p JOIN pg_catalog.pg_class c ON c.oid = p.relid';
  v_tree text;
  v_direction int;
  v_columns text;
  v_fields text;
  v_new_fields text;
  v_key text;
  v_key_literal text;
  v_key_order text;
  v_low text;
  v_cut text;
  v_slice text;
  v_rows bigint;
  v_removed bigint := 0;
  v_added bigint := 0;
  v_oid oid;
  v_other oid;
  v_text text;
  v_template text;
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
IF (SELECT count(*) FROM pg_catalog.pg_trigger t WHERE t.tgrelid = v_new AND t.tgname IN ('partman_back', 'partman_back_truncate')
      AND t.tgenabled = 'A' AND @OWN_TRIGGER@) <> 2 THEN
  RAISE EXCEPTION 'the rollback of partitionExistingTable: % has no trigger partman_back and partman_back_truncate enabled any more, so % may lack later writes',
    v_name, v_old_name
    USING HINT = 'Copy the rows back by hand if you need the plain table.';
END IF;
-- The write-back writes the columns the table had at the conversion: a column added, dropped, renamed or retyped since
-- is not in the plain table as the partitioned table has it, and going back would lose or refuse its values.
v_text := coalesce(pg_catalog.obj_description(pg_catalog.to_regprocedure(format('%I.%I()', @SCHEMA@, @BACK@)), 'pg_proc'),
    @COLUMNS_OF_OLD@);
v_other_text := @COLUMNS_OF_NEW@;
IF v_other_text IS DISTINCT FROM v_text OR v_text IS DISTINCT FROM @COLUMNS_OF_OLD@ THEN
  RAISE EXCEPTION 'the rollback of partitionExistingTable: the columns of % changed since the conversion (now: %; at the conversion: %), and the trigger that keeps % exact writes only those it had',
    v_name, v_other_text, v_text, v_old_name
    USING HINT = 'Undo the column change before rolling back, or make the conversion final (dropPartmanOldTable) and go back by hand.';
END IF;
-- Everything that would stop the rollback is refused now, before anything is done, and checked again under its lock.
@MAY_ALTER_BOTH@
-- It reads the partitioned table and writes the plain one as this role: policies applying to it would hide rows.
IF pg_catalog.row_security_active(v_new) OR pg_catalog.row_security_active(v_table) THEN
  RAISE EXCEPTION 'the rollback of partitionExistingTable: the row-level security of % or % applies to %, so it would not see every row',
    v_name, v_old_name, current_user
    USING HINT = 'Run it as a superuser or a role with BYPASSRLS, or ALTER TABLE ... NO FORCE ROW LEVEL SECURITY while it runs.';
END IF;
@DEPENDENTS_OF_NEW@
-- The partitioned table's triggers, policies and row-level security go back to the plain table.
@CARRY_FROM_NEW@
@SHAPE@
IF v_key IS NULL THEN
  RAISE EXCEPTION 'the rollback of partitionExistingTable compares % with % by the primary key (or a unique index on NOT NULL columns) of %, and it has none any more',
    v_name, v_old_name, v_old_name;
END IF;
-- The reverse swap: one transaction gives the plain table its name back, or does nothing. Its lock waits at most
-- lockTimeout at a time; under it the partitions must be as they were when the plain table was last made to hold their
-- keys, or that is done again. The partitioned table is dropped after it, unused, a few partitions a transaction.
LOOP
  IF v_tree IS NULL THEN
    EXECUTE v_tree_query INTO v_tree USING v_new;
    @RECONCILE@
    v_lock_started := clock_timestamp();
  END IF;
  BEGIN
    PERFORM set_config('lock_timeout', v_lock_timeout, true);
    EXECUTE format('LOCK TABLE %s, ONLY %s IN ACCESS EXCLUSIVE MODE', v_new, v_table);
    EXECUTE v_tree_query INTO v_text USING v_new;
    IF v_text IS DISTINCT FROM v_tree THEN
      v_tree := NULL;
      RAISE EXCEPTION USING ERRCODE = 'PMTRE', MESSAGE = 'the partitions of the table changed';
    END IF;
    @DEPENDENTS_OF_NEW@
    @CARRY_FROM_NEW@
    -- The view keeping the write-back's columns goes with it (a conversion by an earlier snapshot of this extension has none).
    EXECUTE format('DROP VIEW IF EXISTS %I.%I', @SCHEMA@, @COLUMNS_VIEW@);
    EXECUTE format('DROP TRIGGER partman_back ON %s', v_new);
    EXECUTE format('DROP TRIGGER partman_back_truncate ON %s', v_new);
    EXECUTE format('DROP FUNCTION %I.%I()', @SCHEMA@, @BACK@);
    -- The plain table's own triggers (disabled since the swap) and policies give way to the partitioned table's, as
    -- they are now: what was changed since the conversion is what the plain table gets.
    FOR v_text IN SELECT t.tgname FROM pg_catalog.pg_trigger t WHERE t.tgrelid = v_table AND @USER_TRIGGER@ LOOP
      EXECUTE format('DROP TRIGGER %I ON %s', v_text, v_table);
    END LOOP;
    FOR v_text IN SELECT polname FROM pg_catalog.pg_policy WHERE polrelid = v_table LOOP
      EXECUTE format('DROP POLICY %I ON %s', v_text, v_table);
    END LOOP;
    -- The owner, grants and comment the partitioned table has now (changed since the conversion or not) are the plain
    -- table's from now on: the application keeps the privileges it was given meanwhile.
    IF (SELECT relowner FROM pg_catalog.pg_class WHERE oid = v_table) <> (SELECT relowner FROM pg_catalog.pg_class WHERE oid = v_new) THEN
      EXECUTE format('ALTER TABLE %s OWNER TO %I', v_table, (SELECT pg_catalog.pg_get_userbyid(relowner) FROM pg_catalog.pg_class WHERE oid = v_new));
    END IF;
    @GRANTS_FROM_NEW@
    EXECUTE format('COMMENT ON TABLE %s IS %L', v_table, pg_catalog.obj_description(v_new, 'pg_class'));
    @MOVE_NAMES_BACK@
    EXECUTE format('ALTER TABLE %s RENAME TO %I', v_new, @NEW_TABLE@);
    EXECUTE format('ALTER TABLE %s RENAME TO %I', v_table, @TABLE@);
    UPDATE @PART_CONFIG@ SET parent_table = @NEW_PARENT@, automatic_maintenance = 'off' WHERE parent_table = @PARENT@;
    FOREACH v_text IN ARRAY v_carry LOOP
      EXECUTE v_text;
    END LOOP;
    v_swapped := true;
  EXCEPTION WHEN lock_not_available OR deadlock_detected OR SQLSTATE 'PMTRE' THEN
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
RAISE NOTICE 'liquibase-partman: partitionExistingTable %: rolled back; % is the plain table again, with every row (% rows of partitions truncated, detached or dropped removed from it, % of partitions attached added), and the partitioned table is dropped',
  @PARENT@, v_name, v_removed, v_added;
END;
