-- The swap, tried until it succeeds. Each try first applies what the log holds, then waits at most lockTimeout for the
-- plain table's lock, so the swap applies only what arrived in its last moments; readers and writers wait for it, then
-- find the partitioned table under the name (PostgreSQL looks a name up again after waiting for its lock).
-- The trigger that will keep the plain table exact is made now, disabled: under the swap's lock it is only enabled.
-- The rows of a partition truncated, detached or dropped stay in the plain table until a rollback removes them: a
-- row written again with one of their keys takes that row's place there, rather than fail on the plain table's key.
EXECUTE format('CREATE FUNCTION %I.%I() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS %L',
    @SCHEMA@, @BACK@, format('BEGIN '
        'IF TG_OP = ''TRUNCATE'' THEN TRUNCATE %1$s; RETURN NULL; END IF; '
        'IF TG_OP <> ''INSERT'' THEN DELETE FROM ONLY %1$s t WHERE (%2$s) = (%3$s); END IF; '
        'IF TG_OP <> ''DELETE'' THEN DELETE FROM ONLY %1$s t WHERE (%2$s) = (%6$s); '
        'INSERT INTO %1$s (%4$s) OVERRIDING SYSTEM VALUE VALUES (%5$s); END IF; '
        'RETURN NULL; END', v_old_name, format(v_key, 't'), format(v_key, 'OLD'), v_columns, v_new_fields, format(v_key, 'NEW')));
-- It writes the columns the table has now: the rollback compares them with the tables' then (a column changed since is
-- not written back as the partitioned table has it).
EXECUTE format('COMMENT ON FUNCTION %I.%I() IS %L', @SCHEMA@, @BACK@, @COLUMNS_OF_NEW@);
EXECUTE format('ALTER FUNCTION %I.%I() OWNER TO %I', @SCHEMA@, @BACK@, (SELECT pg_catalog.pg_get_userbyid(relowner) FROM pg_catalog.pg_class WHERE oid = v_table));
EXECUTE format('CREATE TRIGGER partman_back AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION %I.%I()', v_new, @SCHEMA@, @BACK@);
EXECUTE format('CREATE TRIGGER partman_back_truncate AFTER TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION %I.%I()', v_new, @SCHEMA@, @BACK@);
EXECUTE format('ALTER TABLE %s DISABLE TRIGGER partman_back, DISABLE TRIGGER partman_back_truncate', v_new);
@COMMIT@
v_lock_started := clock_timestamp();
LOOP
  @CATCH_UP@
  v_failure := NULL;
  v_swapped := false;
  v_changes_unlocked := v_changes;
  BEGIN
    PERFORM set_config('lock_timeout', v_lock_timeout, true);
    EXECUTE format('LOCK TABLE ONLY %s IN ACCESS EXCLUSIVE MODE', v_name);
    @APPLY_REST_OF_LOG@
    EXECUTE format('DROP TRIGGER partman_log ON %s', v_name);
    EXECUTE format('DROP TRIGGER partman_log_truncate ON %s', v_name);
    @CARRY_FROM_PLAIN@
    @MOVE_NAMES@
    EXECUTE format('ALTER TABLE %s RENAME TO %I', v_name, @OLD_TABLE@);
    EXECUTE format('ALTER TABLE %s RENAME TO %I', v_new_name, @TABLE@);
    UPDATE @PART_CONFIG@ SET parent_table = @PARENT@, automatic_maintenance = @AUTOMATIC_MAINTENANCE@ WHERE parent_table = @NEW_PARENT@;
    -- The plain table's triggers and policies, made on the new table only now: the copy and the log's replay fired
    -- none of them (the application's writes fired them once already, on the plain table).
    FOREACH v_text IN ARRAY v_carry LOOP
      EXECUTE v_text;
    END LOOP;
    -- The plain table keeps its policies (its grants stay too), and its triggers are disabled: the write-back must not
    -- fire them a second time. The rollback gives it the partitioned table's.
    FOR v_text IN SELECT t.tgname FROM pg_catalog.pg_trigger t WHERE t.tgrelid = v_table AND @USER_TRIGGER@ AND t.tgenabled <> 'D' LOOP
      EXECUTE format('ALTER TABLE %s DISABLE TRIGGER %I', v_table, v_text);
    END LOOP;
    -- The write-back names these columns: PostgreSQL refuses to drop or retype a column a view reads (naming the view),
    -- where the write-back would fail every write of the application. LIMIT makes it a view no one can write through.
    EXECUTE format('CREATE VIEW %I.%I AS SELECT %s FROM ONLY %s WHERE false LIMIT 0', @SCHEMA@, @COLUMNS_VIEW@, v_columns, v_name);
    EXECUTE format('ALTER VIEW %I.%I OWNER TO %I', @SCHEMA@, @COLUMNS_VIEW@, (SELECT pg_catalog.pg_get_userbyid(relowner) FROM pg_catalog.pg_class WHERE oid = v_new));
    EXECUTE format('COMMENT ON VIEW %I.%I IS %L', @SCHEMA@, @COLUMNS_VIEW@, format('Kept by partitionExistingTable until dropPartmanOldTable: '
        'the trigger partman_back writes these columns of %s into %s, the way back, so they may not be dropped or retyped. '
        'dropPartmanOldTable, or the rollback of partitionExistingTable, drops this view.', v_name, v_old_name));
    -- From now on every change to the table is made to the plain one too, in the same transaction: the exact way back.
    EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER partman_back, ENABLE ALWAYS TRIGGER partman_back_truncate', v_new);
    v_swapped := true;
  EXCEPTION WHEN lock_not_available OR deadlock_detected THEN
    v_failure := SQLERRM;
  WHEN OTHERS THEN
    v_failure := SQLERRM;
    v_lock_started := NULL;
  END;
  EXIT WHEN v_swapped;
  v_changes := v_changes_unlocked;
  IF v_lock_started IS NULL OR clock_timestamp() - v_lock_started > interval '1 minute' THEN
    IF v_lock_started IS NOT NULL THEN
      v_failure := format('its lock was not free within a minute (lockTimeout %s); sessions holding it: %s', v_lock_timeout,
          (SELECT string_agg(DISTINCT l.pid::text, ', ') FROM pg_catalog.pg_locks l WHERE l.relation = v_table AND l.granted AND l.pid <> pg_backend_pid()));
    END IF;
    @ABANDON@
  END IF;
  @COMMIT@
  PERFORM pg_sleep(0.01 + random() * 0.04);
END LOOP;
@COMMIT@
-- The log and its function, unused since the swap dropped the trigger.
EXECUTE format('DROP FUNCTION %I.%I()', @SCHEMA@, @LOG_TABLE@);
EXECUTE format('DROP TABLE %s', v_log);
@COMMIT@
