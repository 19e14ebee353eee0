-- From here on every change to the plain table's rows is logged, whoever makes it (replica mode included: logical
-- replication, pg_restore --disable-triggers), and TRUNCATE waits for the conversion. Writers wait for the lock a moment.
-- The log holds each row version as text, written with fixed settings, the ones the conversion reads it with.
EXECUTE format('CREATE UNLOGGED TABLE %s (partman_entry bigserial PRIMARY KEY, partman_delta smallint NOT NULL, partman_row text NOT NULL)', v_log);
EXECUTE format('CREATE FUNCTION %I.%I() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp '
    'SET DateStyle = ''ISO, YMD'' SET IntervalStyle = postgres SET extra_float_digits = 3 SET bytea_output = hex SET lc_monetary = ''C'' '
    'SET TimeZone = ''UTC'' AS %L', 'public', 'statistics_daily_users_partman_log',
    format('BEGIN '
        'IF TG_OP = ''TRUNCATE'' THEN '
        'IF EXISTS (SELECT 1 FROM pg_catalog.pg_locks l WHERE l.locktype = ''advisory'' AND l.granted AND l.objsubid = 2 '
        'AND l.classid = %2$s AND l.objid = %3$s) THEN '
        'RAISE EXCEPTION ''partitionExistingTable is converting %%.%%: TRUNCATE it once that is done'', TG_TABLE_SCHEMA, TG_TABLE_NAME; '
        'END IF; '
        'RETURN NULL; '
        'END IF; '
        'IF TG_OP <> ''INSERT'' THEN INSERT INTO %1$s (partman_delta, partman_row) VALUES (-1, OLD::text); END IF; '
        'IF TG_OP <> ''DELETE'' THEN INSERT INTO %1$s (partman_delta, partman_row) VALUES (1, NEW::text); END IF; '
        'RETURN NULL; END', v_log, v_run_lock::bigint & 4294967295, pg_catalog.hashtext(v_name)::bigint & 4294967295));
-- The trigger functions run as the table's owner, not as the role running the conversion: a member of the owning role
-- may leave it later, and the application's writes must not fail then.
SELECT pg_catalog.pg_get_userbyid(relowner) INTO v_text FROM pg_catalog.pg_class WHERE oid = v_table;
EXECUTE format('ALTER TABLE %s OWNER TO %I', v_log, v_text);
EXECUTE format('ALTER FUNCTION %I.%I() OWNER TO %I', 'public', 'statistics_daily_users_partman_log', v_text);
-- lock_timeout stays at lockTimeout until the transaction ends: whatever else it waits for while it holds the
-- lock fails after lockTimeout rather than keep the application waiting behind it.
v_lock_started := clock_timestamp();
LOOP
  BEGIN
    PERFORM set_config('lock_timeout', v_lock_timeout, true);
    EXECUTE format('LOCK TABLE ONLY %s IN SHARE ROW EXCLUSIVE MODE', v_name);
    EXIT;
  EXCEPTION WHEN lock_not_available THEN
    IF clock_timestamp() - v_lock_started > interval '1 minute' THEN
      RAISE EXCEPTION 'partitionExistingTable could not lock % within a minute (lockTimeout %); sessions holding it: %',
        v_name, v_lock_timeout, (SELECT string_agg(DISTINCT l.pid::text, ', ') FROM pg_catalog.pg_locks l
          WHERE l.relation = v_table AND l.granted AND l.pid <> pg_backend_pid())
        USING HINT = 'Run it again when those sessions are done, or raise lockTimeout.';
    END IF;
    PERFORM pg_sleep(0.01 + random() * 0.04);
  END;
END LOOP;
EXECUTE format('CREATE TRIGGER partman_log AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION %I.%I()', v_name, 'public', 'statistics_daily_users_partman_log');
EXECUTE format('CREATE TRIGGER partman_log_truncate BEFORE TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION %I.%I()', v_name, 'public', 'statistics_daily_users_partman_log');
EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER partman_log, ENABLE ALWAYS TRIGGER partman_log_truncate', v_name);
COMMIT;
PERFORM set_config('TimeZone', 'UTC', true);
-- Rows travel through the log as text: written and read back with these settings, whatever the writers' and the
-- session's own (a lossy extra_float_digits, an IntervalStyle or DateStyle that reads back otherwise).
PERFORM set_config('DateStyle', 'ISO, YMD', true);
PERFORM set_config('IntervalStyle', 'postgres', true);
PERFORM set_config('extra_float_digits', '3', true);
PERFORM set_config('bytea_output', 'hex', true);
PERFORM set_config('lc_monetary', 'C', true);
