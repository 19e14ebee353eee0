SELECT c.oid INTO v_default FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
  WHERE i.inhparent = v_parent AND pg_catalog.pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT';
-- From here on every change to the DEFAULT's rows is logged, whoever makes it (replica mode included: logical
-- replication, pg_restore --disable-triggers), and TRUNCATE waits for the move. Writers wait for this lock a moment.
-- A request that waits queues the application's queries behind it: for a second the tries wait at most
-- v_first_lock_timeout each, a few milliseconds apart, and only then lockTimeout. Once the locks are held, lock_timeout stays at
-- lockTimeout until the transaction ends: whatever else it waits for fails after that rather than keep the
-- application waiting behind it.
v_lock_started := clock_timestamp();
LOOP
  BEGIN
    PERFORM set_config('lock_timeout', CASE WHEN clock_timestamp() - v_lock_started < interval '1 second'
                                            THEN v_first_lock_timeout ELSE v_lock_timeout END, true);
    EXECUTE format('LOCK TABLE ONLY %s IN ACCESS SHARE MODE', v_parent_name);
    EXECUTE format('LOCK TABLE ONLY %s IN SHARE ROW EXCLUSIVE MODE', v_default_name);
    PERFORM set_config('lock_timeout', v_lock_timeout, true);
    EXIT;
  EXCEPTION WHEN lock_not_available THEN
    IF clock_timestamp() - v_lock_started > interval '1 minute' THEN
      RAISE EXCEPTION 'repartitionDefault could not take % within a minute (lockTimeout %); sessions holding it: %',
        v_default_name, v_lock_timeout, (SELECT string_agg(DISTINCT l.pid::text, ', ') FROM pg_catalog.pg_locks l
          WHERE (l.relation IN (v_parent, v_default)) AND l.granted AND l.pid <> pg_backend_pid())
        USING HINT = 'Run it again when those sessions are done, or raise lockTimeout.';
    END IF;
    PERFORM pg_sleep(0.005 + random() * 0.01);
  END;
END LOOP;
EXECUTE format('CREATE TABLE %s (LIKE %s INCLUDING GENERATED) PARTITION BY RANGE (%I)', v_staging, v_parent_name, v_config.control);
-- The new DEFAULT, which takes the old one's place in the swap: made like it, with its owner, grants and settings.
EXECUTE format('CREATE TABLE %s (LIKE %s INCLUDING ALL EXCLUDING IDENTITY)%s', v_fresh, v_default_name,
    coalesce((SELECT ' TABLESPACE ' || quote_ident(t.spcname) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_tablespace t ON t.oid = c.reltablespace
              WHERE c.oid = v_default), ''));
IF (SELECT relowner FROM pg_catalog.pg_class WHERE oid = v_default) <> (SELECT relowner FROM pg_catalog.pg_class WHERE oid = v_fresh::regclass) THEN
  EXECUTE format('ALTER TABLE %s OWNER TO %I', v_fresh, (SELECT pg_catalog.pg_get_userbyid(relowner) FROM pg_catalog.pg_class WHERE oid = v_default));
END IF;
FOR v_name, v_text, v_exists IN SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_catalog.pg_get_userbyid(a.grantee)) END,
    a.privilege_type, a.is_grantable FROM pg_catalog.pg_class c, LATERAL pg_catalog.aclexplode(c.relacl) a
    WHERE c.oid = v_default AND a.grantee <> c.relowner LOOP
  EXECUTE format('GRANT %s ON %s TO %s%s', v_text, v_fresh, v_name, CASE WHEN v_exists THEN ' WITH GRANT OPTION' ELSE '' END);
END LOOP;
SELECT array_to_string(reloptions, ', ') INTO v_text FROM pg_catalog.pg_class WHERE oid = v_default;
IF v_text IS NOT NULL THEN
  EXECUTE format('ALTER TABLE %s SET (%s)', v_fresh, v_text);
END IF;
IF (SELECT relreplident FROM pg_catalog.pg_class WHERE oid = v_default) IN ('f', 'n') THEN
  EXECUTE format('ALTER TABLE %s REPLICA IDENTITY %s', v_fresh,
      CASE (SELECT relreplident FROM pg_catalog.pg_class WHERE oid = v_default) WHEN 'f' THEN 'FULL' ELSE 'NOTHING' END);
END IF;
EXECUTE format('CREATE UNLOGGED TABLE %s (partman_repartition_entry bigserial PRIMARY KEY, partman_repartition_delta smallint NOT NULL, '
    'partman_repartition_row text NOT NULL)', v_log);
-- The log holds each row version as text, so that the trigger names no column: a column renamed after a killed run
-- cannot break the application's writes. The text is written with fixed settings, the ones the move reads it with.
-- TRUNCATE is refused while a run holds this table's run lock; after a killed run it goes through (the rows it
-- removes were only copied, and the next run starts over).
EXECUTE format('CREATE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp '
    'SET DateStyle = ''ISO, YMD'' SET IntervalStyle = postgres SET extra_float_digits = 3 SET bytea_output = hex SET lc_monetary = ''C'' '
    'SET TimeZone = ''UTC'' AS %L',
    v_function, format('BEGIN '
        'IF TG_OP = ''TRUNCATE'' THEN '
        'IF EXISTS (SELECT 1 FROM pg_catalog.pg_locks l WHERE l.locktype = ''advisory'' AND l.granted AND l.objsubid = 2 '
        'AND l.classid = %3$s AND l.objid = %4$s) THEN '
        'RAISE EXCEPTION ''repartitionDefault (backend %2$s) is moving the rows of %%.%%: TRUNCATE it once that is done'', TG_TABLE_SCHEMA, TG_TABLE_NAME; '
        'END IF; '
        'RETURN NULL; '
        'END IF; '
        'IF TG_OP <> ''INSERT'' THEN INSERT INTO %1$s (partman_repartition_delta, partman_repartition_row) VALUES (-1, OLD::text); END IF; '
        'IF TG_OP <> ''DELETE'' THEN INSERT INTO %1$s (partman_repartition_delta, partman_repartition_row) VALUES (1, NEW::text); END IF; '
        'RETURN NULL; END', v_log, pg_backend_pid(), v_run_lock::bigint & 4294967295, v_parent::oid));
EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION %s()',
    v_run, v_default_name, v_function);
EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION %s()',
    v_run || '_truncate', v_default_name, v_function);
EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER %I, ENABLE ALWAYS TRIGGER %I', v_default_name, v_run, v_run || '_truncate');
-- A row of the log as the row of the DEFAULT it was, with that table's columns, by name.
v_entries := format('(SELECT l.partman_repartition_entry, l.partman_repartition_delta, x.* FROM %s l '
    'CROSS JOIN LATERAL (SELECT (r).* FROM (SELECT l.partman_repartition_row::%s AS r OFFSET 0) s) x)', v_log, v_default_name);
v_moved_rows := 0;
v_moved_sum0 := 0;
v_moved_sum1 := 0;
COMMIT;
PERFORM set_config('TimeZone', 'UTC', true);
-- Rows travel through the log as text: written and read back with these settings, whatever the writers' and the
-- session's own (a lossy extra_float_digits, an IntervalStyle or DateStyle that reads back otherwise).
PERFORM set_config('DateStyle', 'ISO, YMD', true);
PERFORM set_config('IntervalStyle', 'postgres', true);
PERFORM set_config('extra_float_digits', '3', true);
PERFORM set_config('bytea_output', 'hex', true);
PERFORM set_config('lc_monetary', 'C', true);
