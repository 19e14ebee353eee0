DO $partman$
DECLARE
  v_name text := format('%I.%I', 'public', 'statistics_daily_users');
  v_new_name text := format('%I.%I', 'public', 'statistics_daily_users_partman_new');
  v_old_name text := format('%I.%I', 'public', 'statistics_daily_users_partman_old');
  v_table regclass := to_regclass(format('%I.%I', 'public', 'statistics_daily_users_partman_old'));
  v_new regclass := to_regclass(format('%I.%I', 'public', 'statistics_daily_users'));
  v_run_lock int := pg_catalog.hashtext('liquibase-partman partitionExistingTable');
  v_lock_timeout text := '100ms';
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
IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'pg_partman') THEN
  RAISE EXCEPTION 'pg_partman is not installed in this database (%)', current_database()
    USING HINT = 'Install it first: CREATE SCHEMA IF NOT EXISTS "partman"; CREATE EXTENSION pg_partman SCHEMA "partman";';
END IF;
DECLARE
  v_missing text := concat_ws(' ',
    CASE WHEN NOT has_schema_privilege('partman', 'USAGE') THEN format('GRANT USAGE ON SCHEMA %I TO %I;', 'partman', current_user) END,
    CASE WHEN NOT has_schema_privilege('partman', 'CREATE') THEN format('GRANT CREATE ON SCHEMA %I TO %I;', 'partman', current_user) END,
    CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace, unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']) AS p(privilege) WHERE n.nspname = 'partman' AND c.relname IN ('part_config', 'part_config_sub') AND NOT has_table_privilege(c.oid, p.privilege)) THEN format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I;', 'partman', current_user) END);
BEGIN
  IF v_missing <> '' THEN
    RAISE EXCEPTION 'role % may not use pg_partman in schema %; it needs: %', current_user, 'partman', v_missing
      USING HINT = 'As the owner of schema partman or a superuser: ' || v_missing;
  END IF;
END;
PERFORM set_config('TimeZone', 'UTC', true);
-- Rows travel through the log as text: written and read back with these settings, whatever the writers' and the
-- session's own (a lossy extra_float_digits, an IntervalStyle or DateStyle that reads back otherwise).
PERFORM set_config('DateStyle', 'ISO, YMD', true);
PERFORM set_config('IntervalStyle', 'postgres', true);
PERFORM set_config('extra_float_digits', '3', true);
PERFORM set_config('bytea_output', 'hex', true);
PERFORM set_config('lc_monetary', 'C', true);
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
-- What v_new has that the table named v_name must have after the swap: its users' triggers (not PostgreSQL's own, not
-- the conversion's) with their state and comments, its policies with their comments, and whether row-level security is
-- enabled and forced. v_carry gets the statements (a NULL comment makes none: quote_literal(NULL) is NULL), run once the
-- names are swapped. They are read before the renames, so that an expression naming the table itself (a policy's
-- subquery) names the table that takes the name. A trigger is rebuilt from pg_trigger, since pg_get_triggerdef's text
-- names the table it is on; only a WHEN condition is taken from that text (pg_get_expr cannot print OLD and NEW), between
-- markers that must occur there once.
SELECT array_agg(s.statement ORDER BY s.kind, s.name, s.step) FILTER (WHERE s.statement IS NOT NULL),
       string_agg(s.problem, '; ' ORDER BY s.kind, s.name)
  INTO v_carry, v_problems
  FROM (
    SELECT 1 AS kind, t.tgname AS name, x.step, x.statement, x.problem
      FROM pg_catalog.pg_trigger t
      JOIN pg_catalog.pg_proc f ON f.oid = t.tgfoid
      JOIN pg_catalog.pg_namespace fn ON fn.oid = f.pronamespace,
      LATERAL (SELECT pg_catalog.pg_get_triggerdef(t.oid) AS def,
                      CASE WHEN t.tgtype::int & 1 <> 0 THEN 'ROW' ELSE 'STATEMENT' END AS per) d,
      LATERAL (SELECT ' FOR EACH ' || d.per || ' WHEN (' AS starts, ') EXECUTE FUNCTION ' AS ends) m,
      LATERAL (VALUES
        (1, format('CREATE %sTRIGGER %I %s %s ON %s%s%s%s FOR EACH %s%s EXECUTE FUNCTION %I.%I(%s)',
            CASE WHEN t.tgconstraint <> 0 THEN 'CONSTRAINT ' ELSE '' END, t.tgname,
            CASE WHEN t.tgtype::int & 2 <> 0 THEN 'BEFORE' WHEN t.tgtype::int & 64 <> 0 THEN 'INSTEAD OF' ELSE 'AFTER' END,
            concat_ws(' OR ', CASE WHEN t.tgtype::int & 4 <> 0 THEN 'INSERT' END, CASE WHEN t.tgtype::int & 8 <> 0 THEN 'DELETE' END,
                CASE WHEN t.tgtype::int & 16 <> 0 THEN 'UPDATE' || coalesce(' OF ' || (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.n)
                    FROM unnest(t.tgattr::int2[]) WITH ORDINALITY k(attnum, n)
                    JOIN pg_catalog.pg_attribute a ON a.attrelid = t.tgrelid AND a.attnum = k.attnum), '') END,
                CASE WHEN t.tgtype::int & 32 <> 0 THEN 'TRUNCATE' END),
            v_name,
            CASE WHEN t.tgconstrrelid <> 0 THEN ' FROM ' || t.tgconstrrelid::regclass::text ELSE '' END,
            CASE WHEN t.tgconstraint = 0 THEN '' WHEN NOT t.tgdeferrable THEN ' NOT DEFERRABLE'
                 WHEN t.tginitdeferred THEN ' DEFERRABLE INITIALLY DEFERRED' ELSE ' DEFERRABLE INITIALLY IMMEDIATE' END,
            CASE WHEN t.tgoldtable IS NULL AND t.tgnewtable IS NULL THEN ''
                 ELSE ' REFERENCING' || concat(' OLD TABLE AS ' || quote_ident(t.tgoldtable), ' NEW TABLE AS ' || quote_ident(t.tgnewtable)) END,
            d.per,
            CASE WHEN t.tgqual IS NULL THEN ''
                 ELSE ' WHEN (' || substring(d.def FROM position(m.starts IN d.def) + length(m.starts)
                                             FOR position(m.ends IN d.def) - position(m.starts IN d.def) - length(m.starts)) || ')' END,
            fn.nspname, f.proname,
            -- tgargs: the arguments, each ended by a zero byte.
            coalesce((SELECT string_agg(quote_literal(convert_from(substring(t.tgargs FROM z.s + 1 FOR z.e - z.s),
                                current_setting('server_encoding'))), ', ' ORDER BY z.e)
                        FROM (SELECT i AS e, coalesce(lag(i) OVER (ORDER BY i) + 1, 0) AS s FROM generate_series(0, length(t.tgargs) - 1) i
                               WHERE get_byte(t.tgargs, i) = 0) z), '')),
         NULL),
        (2, CASE t.tgenabled WHEN 'D' THEN format('ALTER TABLE %s DISABLE TRIGGER %I', v_name, t.tgname)
                             WHEN 'R' THEN format('ALTER TABLE %s ENABLE REPLICA TRIGGER %I', v_name, t.tgname)
                             WHEN 'A' THEN format('ALTER TABLE %s ENABLE ALWAYS TRIGGER %I', v_name, t.tgname) END, NULL),
        (3, 'COMMENT ON TRIGGER ' || quote_ident(t.tgname) || ' ON ' || v_name || ' IS ' || quote_literal(pg_catalog.obj_description(t.oid, 'pg_trigger')), NULL),
        -- PostgreSQL refuses a FOR EACH ROW trigger with transition tables on a partitioned table.
        (0, NULL, CASE WHEN t.tgtype::int & 1 <> 0 AND (t.tgoldtable IS NOT NULL OR t.tgnewtable IS NOT NULL) THEN format(
            'trigger %I is FOR EACH ROW with transition tables (REFERENCING), which PostgreSQL does not allow on a partitioned table', t.tgname) END),
        (0, NULL, CASE WHEN t.tgqual IS NOT NULL AND ((length(d.def) - length(replace(d.def, m.starts, ''))) / length(m.starts) <> 1
                                                      OR (length(d.def) - length(replace(d.def, m.ends, ''))) / length(m.ends) <> 1) THEN format(
            'trigger %I: its WHEN condition cannot be told apart from its names and arguments', t.tgname) END)
      ) x(step, statement, problem)
      WHERE t.tgrelid = v_new AND NOT t.tgisinternal AND t.tgname NOT IN ('partman_log', 'partman_log_truncate', 'partman_back', 'partman_back_truncate')
    UNION ALL
    SELECT 2, p.polname, x.step, x.statement, NULL
      FROM pg_catalog.pg_policy p,
      LATERAL (VALUES
        (1, format('CREATE POLICY %I ON %s AS %s FOR %s TO %s%s%s', p.polname, v_name,
            CASE WHEN p.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END,
            CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,
            (SELECT string_agg(CASE WHEN r.role = 0 THEN 'PUBLIC' ELSE quote_ident(pg_catalog.pg_get_userbyid(r.role)) END, ', ' ORDER BY r.n)
               FROM unnest(p.polroles) WITH ORDINALITY r(role, n)),
            coalesce(' USING (' || pg_catalog.pg_get_expr(p.polqual, p.polrelid) || ')', ''),
            coalesce(' WITH CHECK (' || pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) || ')', ''))),
        (2, 'COMMENT ON POLICY ' || quote_ident(p.polname) || ' ON ' || v_name || ' IS ' || quote_literal(pg_catalog.obj_description(p.oid, 'pg_policy')))
      ) x(step, statement)
      WHERE p.polrelid = v_new
    UNION ALL
    SELECT 3, '', 1, format('ALTER TABLE %s %s ROW LEVEL SECURITY, %s ROW LEVEL SECURITY', v_name,
        CASE WHEN c.relrowsecurity THEN 'ENABLE' ELSE 'DISABLE' END, CASE WHEN c.relforcerowsecurity THEN 'FORCE' ELSE 'NO FORCE' END), NULL
      FROM pg_catalog.pg_class c WHERE c.oid = v_new
  ) s;
IF v_problems IS NOT NULL THEN
  RAISE EXCEPTION 'partitionExistingTable cannot carry over exactly what % has: %', v_name, v_problems
    USING HINT = 'Drop or change those triggers, run it again, then create them again as a partitioned table allows.';
END IF;
-- One run per table. The lock is the session's, so it lasts across this script's commits and ends with the session
-- however the session ends.
IF NOT pg_catalog.pg_try_advisory_lock(v_run_lock, pg_catalog.hashtext(v_name)) THEN
  SELECT string_agg(l.pid::text, ', ') INTO v_holders FROM pg_catalog.pg_locks l
    WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
      AND l.classid = (v_run_lock::bigint & 4294967295)::oid AND l.objid = (pg_catalog.hashtext(v_name)::bigint & 4294967295)::oid;
  RAISE EXCEPTION 'another partitionExistingTable (backend %) is converting %', v_holders, v_name
    USING HINT = 'Wait for it to finish, or end that session with pg_terminate_backend() and run this again.';
END IF;
-- The reverse swap: the trigger kept the plain table exact, so one transaction gives it its name back. Its lock waits
-- at most lockTimeout at a time.
v_lock_started := clock_timestamp();
LOOP
  BEGIN
    PERFORM set_config('lock_timeout', v_lock_timeout, true);
    EXECUTE format('LOCK TABLE %s, ONLY %s IN ACCESS EXCLUSIVE MODE', v_new, v_table);
    EXECUTE format('DROP TRIGGER partman_back ON %s', v_new);
    EXECUTE format('DROP TRIGGER partman_back_truncate ON %s', v_new);
    EXECUTE format('DROP FUNCTION %I.%I()', 'public', 'statistics_daily_users_partman_back');
    -- What v_new has that the table named v_name must have after the swap: its users' triggers (not PostgreSQL's own, not
    -- the conversion's) with their state and comments, its policies with their comments, and whether row-level security is
    -- enabled and forced. v_carry gets the statements (a NULL comment makes none: quote_literal(NULL) is NULL), run once the
    -- names are swapped. They are read before the renames, so that an expression naming the table itself (a policy's
    -- subquery) names the table that takes the name. A trigger is rebuilt from pg_trigger, since pg_get_triggerdef's text
    -- names the table it is on; only a WHEN condition is taken from that text (pg_get_expr cannot print OLD and NEW), between
    -- markers that must occur there once.
    SELECT array_agg(s.statement ORDER BY s.kind, s.name, s.step) FILTER (WHERE s.statement IS NOT NULL),
           string_agg(s.problem, '; ' ORDER BY s.kind, s.name)
      INTO v_carry, v_problems
      FROM (
        SELECT 1 AS kind, t.tgname AS name, x.step, x.statement, x.problem
          FROM pg_catalog.pg_trigger t
          JOIN pg_catalog.pg_proc f ON f.oid = t.tgfoid
          JOIN pg_catalog.pg_namespace fn ON fn.oid = f.pronamespace,
          LATERAL (SELECT pg_catalog.pg_get_triggerdef(t.oid) AS def,
                          CASE WHEN t.tgtype::int & 1 <> 0 THEN 'ROW' ELSE 'STATEMENT' END AS per) d,
          LATERAL (SELECT ' FOR EACH ' || d.per || ' WHEN (' AS starts, ') EXECUTE FUNCTION ' AS ends) m,
          LATERAL (VALUES
            (1, format('CREATE %sTRIGGER %I %s %s ON %s%s%s%s FOR EACH %s%s EXECUTE FUNCTION %I.%I(%s)',
                CASE WHEN t.tgconstraint <> 0 THEN 'CONSTRAINT ' ELSE '' END, t.tgname,
                CASE WHEN t.tgtype::int & 2 <> 0 THEN 'BEFORE' WHEN t.tgtype::int & 64 <> 0 THEN 'INSTEAD OF' ELSE 'AFTER' END,
                concat_ws(' OR ', CASE WHEN t.tgtype::int & 4 <> 0 THEN 'INSERT' END, CASE WHEN t.tgtype::int & 8 <> 0 THEN 'DELETE' END,
                    CASE WHEN t.tgtype::int & 16 <> 0 THEN 'UPDATE' || coalesce(' OF ' || (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.n)
                        FROM unnest(t.tgattr::int2[]) WITH ORDINALITY k(attnum, n)
                        JOIN pg_catalog.pg_attribute a ON a.attrelid = t.tgrelid AND a.attnum = k.attnum), '') END,
                    CASE WHEN t.tgtype::int & 32 <> 0 THEN 'TRUNCATE' END),
                v_name,
                CASE WHEN t.tgconstrrelid <> 0 THEN ' FROM ' || t.tgconstrrelid::regclass::text ELSE '' END,
                CASE WHEN t.tgconstraint = 0 THEN '' WHEN NOT t.tgdeferrable THEN ' NOT DEFERRABLE'
                     WHEN t.tginitdeferred THEN ' DEFERRABLE INITIALLY DEFERRED' ELSE ' DEFERRABLE INITIALLY IMMEDIATE' END,
                CASE WHEN t.tgoldtable IS NULL AND t.tgnewtable IS NULL THEN ''
                     ELSE ' REFERENCING' || concat(' OLD TABLE AS ' || quote_ident(t.tgoldtable), ' NEW TABLE AS ' || quote_ident(t.tgnewtable)) END,
                d.per,
                CASE WHEN t.tgqual IS NULL THEN ''
                     ELSE ' WHEN (' || substring(d.def FROM position(m.starts IN d.def) + length(m.starts)
                                                 FOR position(m.ends IN d.def) - position(m.starts IN d.def) - length(m.starts)) || ')' END,
                fn.nspname, f.proname,
                -- tgargs: the arguments, each ended by a zero byte.
                coalesce((SELECT string_agg(quote_literal(convert_from(substring(t.tgargs FROM z.s + 1 FOR z.e - z.s),
                                    current_setting('server_encoding'))), ', ' ORDER BY z.e)
                            FROM (SELECT i AS e, coalesce(lag(i) OVER (ORDER BY i) + 1, 0) AS s FROM generate_series(0, length(t.tgargs) - 1) i
                                   WHERE get_byte(t.tgargs, i) = 0) z), '')),
             NULL),
            (2, CASE t.tgenabled WHEN 'D' THEN format('ALTER TABLE %s DISABLE TRIGGER %I', v_name, t.tgname)
                                 WHEN 'R' THEN format('ALTER TABLE %s ENABLE REPLICA TRIGGER %I', v_name, t.tgname)
                                 WHEN 'A' THEN format('ALTER TABLE %s ENABLE ALWAYS TRIGGER %I', v_name, t.tgname) END, NULL),
            (3, 'COMMENT ON TRIGGER ' || quote_ident(t.tgname) || ' ON ' || v_name || ' IS ' || quote_literal(pg_catalog.obj_description(t.oid, 'pg_trigger')), NULL),
            -- PostgreSQL refuses a FOR EACH ROW trigger with transition tables on a partitioned table.
            (0, NULL, CASE WHEN t.tgtype::int & 1 <> 0 AND (t.tgoldtable IS NOT NULL OR t.tgnewtable IS NOT NULL) THEN format(
                'trigger %I is FOR EACH ROW with transition tables (REFERENCING), which PostgreSQL does not allow on a partitioned table', t.tgname) END),
            (0, NULL, CASE WHEN t.tgqual IS NOT NULL AND ((length(d.def) - length(replace(d.def, m.starts, ''))) / length(m.starts) <> 1
                                                          OR (length(d.def) - length(replace(d.def, m.ends, ''))) / length(m.ends) <> 1) THEN format(
                'trigger %I: its WHEN condition cannot be told apart from its names and arguments', t.tgname) END)
          ) x(step, statement, problem)
          WHERE t.tgrelid = v_new AND NOT t.tgisinternal AND t.tgname NOT IN ('partman_log', 'partman_log_truncate', 'partman_back', 'partman_back_truncate')
        UNION ALL
        SELECT 2, p.polname, x.step, x.statement, NULL
          FROM pg_catalog.pg_policy p,
          LATERAL (VALUES
            (1, format('CREATE POLICY %I ON %s AS %s FOR %s TO %s%s%s', p.polname, v_name,
                CASE WHEN p.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END,
                CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,
                (SELECT string_agg(CASE WHEN r.role = 0 THEN 'PUBLIC' ELSE quote_ident(pg_catalog.pg_get_userbyid(r.role)) END, ', ' ORDER BY r.n)
                   FROM unnest(p.polroles) WITH ORDINALITY r(role, n)),
                coalesce(' USING (' || pg_catalog.pg_get_expr(p.polqual, p.polrelid) || ')', ''),
                coalesce(' WITH CHECK (' || pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) || ')', ''))),
            (2, 'COMMENT ON POLICY ' || quote_ident(p.polname) || ' ON ' || v_name || ' IS ' || quote_literal(pg_catalog.obj_description(p.oid, 'pg_policy')))
          ) x(step, statement)
          WHERE p.polrelid = v_new
        UNION ALL
        SELECT 3, '', 1, format('ALTER TABLE %s %s ROW LEVEL SECURITY, %s ROW LEVEL SECURITY', v_name,
            CASE WHEN c.relrowsecurity THEN 'ENABLE' ELSE 'DISABLE' END, CASE WHEN c.relforcerowsecurity THEN 'FORCE' ELSE 'NO FORCE' END), NULL
          FROM pg_catalog.pg_class c WHERE c.oid = v_new
      ) s;
    IF v_problems IS NOT NULL THEN
      RAISE EXCEPTION 'partitionExistingTable cannot carry over exactly what % has: %', v_name, v_problems
        USING HINT = 'Drop or change those triggers, run it again, then create them again as a partitioned table allows.';
    END IF;
    -- The plain table's own triggers (disabled since the swap) and policies give way to the partitioned table's, as
    -- they are now: what was changed since the conversion is what the plain table gets.
    FOR v_text IN SELECT t.tgname FROM pg_catalog.pg_trigger t WHERE t.tgrelid = v_table AND NOT t.tgisinternal AND t.tgname NOT IN ('partman_log', 'partman_log_truncate', 'partman_back', 'partman_back_truncate') LOOP
      EXECUTE format('DROP TRIGGER %I ON %s', v_text, v_table);
    END LOOP;
    FOR v_text IN SELECT polname FROM pg_catalog.pg_policy WHERE polrelid = v_table LOOP
      EXECUTE format('DROP POLICY %I ON %s', v_text, v_table);
    END LOOP;
    -- The indexes of v_table take the names of v_new's with the same definition (and so do the constraints they back).
    FOR v_oid, v_other, v_text IN
        SELECT a.indexrelid, b.indexrelid, (SELECT relname FROM pg_catalog.pg_class WHERE oid = a.indexrelid)
          FROM (SELECT indexrelid, regexp_replace(pg_catalog.pg_get_indexdef(indexrelid), '^.* USING ', '') AS def,
                       row_number() OVER (PARTITION BY regexp_replace(pg_catalog.pg_get_indexdef(indexrelid), '^.* USING ', '') ORDER BY indexrelid) AS n
                  FROM pg_catalog.pg_index WHERE indrelid = v_new) a
          JOIN (SELECT indexrelid, regexp_replace(pg_catalog.pg_get_indexdef(indexrelid), '^.* USING ', '') AS def,
                       row_number() OVER (PARTITION BY regexp_replace(pg_catalog.pg_get_indexdef(indexrelid), '^.* USING ', '') ORDER BY indexrelid) AS n
                  FROM pg_catalog.pg_index WHERE indrelid = v_table) b USING (def, n) LOOP
      EXECUTE format('ALTER INDEX %s RENAME TO %I', v_oid::regclass, 'partman_dropped_' || v_oid);
      EXECUTE format('ALTER INDEX %s RENAME TO %I', v_other::regclass, v_text);
    END LOOP;
    -- Sequences owned by v_new's columns (serial columns) belong to v_table's from now on.
    FOR v_oid, v_text IN SELECT d.objid, a.attname FROM pg_catalog.pg_depend d
        JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
        WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjid = v_new
          AND d.deptype = 'a' AND EXISTS (SELECT 1 FROM pg_catalog.pg_class s WHERE s.oid = d.objid AND s.relkind = 'S') LOOP
      EXECUTE format('ALTER SEQUENCE %s OWNED BY %s.%I', v_oid::regclass, v_table, v_text);
    END LOOP;
    -- Identity columns: v_table's sequence goes on from where v_new's is, under its name.
    FOR v_other_text IN SELECT attname FROM pg_catalog.pg_attribute WHERE attrelid = v_new AND attidentity <> '' AND attnum > 0 AND NOT attisdropped LOOP
      v_oid := pg_catalog.pg_get_serial_sequence(v_new::text, v_other_text)::regclass;
      v_other := pg_catalog.pg_get_serial_sequence(v_table::text, v_other_text)::regclass;
      EXECUTE format('SELECT pg_catalog.setval(%L, s.last_value, s.is_called) FROM %s s', v_other::regclass::text, v_oid::regclass);
      SELECT relname INTO v_text FROM pg_catalog.pg_class WHERE oid = v_oid;
      EXECUTE format('ALTER SEQUENCE %s RENAME TO %I', v_oid::regclass, 'partman_dropped_' || v_oid);
      EXECUTE format('ALTER SEQUENCE %s RENAME TO %I', v_other::regclass, v_text);
    END LOOP;
    EXECUTE format('ALTER TABLE %s RENAME TO %I', v_new, 'statistics_daily_users_partman_new');
    EXECUTE format('ALTER TABLE %s RENAME TO %I', v_table, 'statistics_daily_users');
    UPDATE "partman"."part_config" SET parent_table = 'public.statistics_daily_users_partman_new', automatic_maintenance = 'off' WHERE parent_table = 'public.statistics_daily_users';
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
COMMIT;
PERFORM set_config('TimeZone', 'UTC', true);
-- Rows travel through the log as text: written and read back with these settings, whatever the writers' and the
-- session's own (a lossy extra_float_digits, an IntervalStyle or DateStyle that reads back otherwise).
PERFORM set_config('DateStyle', 'ISO, YMD', true);
PERFORM set_config('IntervalStyle', 'postgres', true);
PERFORM set_config('extra_float_digits', '3', true);
PERFORM set_config('bytea_output', 'hex', true);
PERFORM set_config('lc_monetary', 'C', true);
-- The partitioned table a run made, with its partitions, its registration and pg_partman's template table for it.
-- Nobody but the run uses it: its locks are free. The partitions go one by one, committed a few at a time: one DROP of
-- the partitioned table would lock every partition with its indexes at once.
SELECT template_table INTO v_text FROM "partman"."part_config" WHERE parent_table = 'public.statistics_daily_users_partman_new';
DELETE FROM "partman"."part_config_sub" WHERE sub_parent = 'public.statistics_daily_users_partman_new';
DELETE FROM "partman"."part_config" WHERE parent_table = 'public.statistics_daily_users_partman_new';
IF v_text IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "partman"."part_config" WHERE template_table = v_text) THEN
  EXECUTE format('DROP TABLE IF EXISTS %I.%I', split_part(v_text, '.', 1), split_part(v_text, '.', 2));
END IF;
FOR v_text IN SELECT i.inhrelid::regclass::text FROM pg_catalog.pg_inherits i WHERE i.inhparent = to_regclass(v_new_name) LOOP
  EXECUTE format('DROP TABLE %s', v_text);
  -- Tables made (or dropped) one after another are committed a few at a time: each holds several locks (its table, TOAST table,
  -- indexes, type) until the transaction ends, and many in one transaction would go past max_locks_per_transaction.
  IF (SELECT count(*) FROM pg_catalog.pg_locks WHERE pid = pg_catalog.pg_backend_pid()) > 40 THEN
    COMMIT;
    PERFORM set_config('TimeZone', 'UTC', true);
    -- Rows travel through the log as text: written and read back with these settings, whatever the writers' and the
    -- session's own (a lossy extra_float_digits, an IntervalStyle or DateStyle that reads back otherwise).
    PERFORM set_config('DateStyle', 'ISO, YMD', true);
    PERFORM set_config('IntervalStyle', 'postgres', true);
    PERFORM set_config('extra_float_digits', '3', true);
    PERFORM set_config('bytea_output', 'hex', true);
    PERFORM set_config('lc_monetary', 'C', true);
  END IF;
END LOOP;
EXECUTE format('DROP TABLE IF EXISTS %s', v_new_name);
PERFORM pg_catalog.pg_advisory_unlock(v_run_lock, pg_catalog.hashtext(v_name));
RAISE NOTICE 'liquibase-partman: partitionExistingTable %: rolled back; % is the plain table again, with every row, and the partitioned table is dropped',
  'public.statistics_daily_users', v_name;
END;
$partman$