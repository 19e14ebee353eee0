-- The swap, tried until it succeeds. Each try first applies what the log holds, then waits at most lockTimeout for the
-- plain table's lock, so the swap applies only what arrived in its last moments; readers and writers wait for it, then
-- find the partitioned table under the name (PostgreSQL looks a name up again after waiting for its lock).
-- The trigger that will keep the plain table exact is made now, disabled: under the swap's lock it is only enabled.
-- The rows of a partition truncated, detached or dropped stay in the plain table until a rollback removes them: a
-- row written again with one of their keys takes that row's place there, rather than fail on the plain table's key.
EXECUTE format('CREATE FUNCTION %I.%I() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS %L',
    'public', 'statistics_daily_users_partman_back', format('BEGIN '
        'IF TG_OP = ''TRUNCATE'' THEN TRUNCATE %1$s; RETURN NULL; END IF; '
        'IF TG_OP <> ''INSERT'' THEN DELETE FROM ONLY %1$s t WHERE (%2$s) = (%3$s); END IF; '
        'IF TG_OP <> ''DELETE'' THEN DELETE FROM ONLY %1$s t WHERE (%2$s) = (%6$s); '
        'INSERT INTO %1$s (%4$s) OVERRIDING SYSTEM VALUE VALUES (%5$s); END IF; '
        'RETURN NULL; END', v_old_name, format(v_key, 't'), format(v_key, 'OLD'), v_columns, v_new_fields, format(v_key, 'NEW')));
-- It writes the columns the table has now: the rollback compares them with the tables' then (a column changed since is
-- not written back as the partitioned table has it).
EXECUTE format('COMMENT ON FUNCTION %I.%I() IS %L', 'public', 'statistics_daily_users_partman_back', (SELECT string_agg(format('%I %s', a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod)), ', ' ORDER BY a.attnum) FROM pg_catalog.pg_attribute a WHERE a.attrelid = v_new AND a.attnum > 0 AND NOT a.attisdropped));
EXECUTE format('ALTER FUNCTION %I.%I() OWNER TO %I', 'public', 'statistics_daily_users_partman_back', (SELECT pg_catalog.pg_get_userbyid(relowner) FROM pg_catalog.pg_class WHERE oid = v_table));
EXECUTE format('CREATE TRIGGER partman_back AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION %I.%I()', v_new, 'public', 'statistics_daily_users_partman_back');
EXECUTE format('CREATE TRIGGER partman_back_truncate AFTER TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION %I.%I()', v_new, 'public', 'statistics_daily_users_partman_back');
EXECUTE format('ALTER TABLE %s DISABLE TRIGGER partman_back, DISABLE TRIGGER partman_back_truncate', v_new);
COMMIT;
PERFORM set_config('TimeZone', 'UTC', true);
-- Rows travel through the log as text: written and read back with these settings, whatever the writers' and the
-- session's own (a lossy extra_float_digits, an IntervalStyle or DateStyle that reads back otherwise).
PERFORM set_config('DateStyle', 'ISO, YMD', true);
PERFORM set_config('IntervalStyle', 'postgres', true);
PERFORM set_config('extra_float_digits', '3', true);
PERFORM set_config('bytea_output', 'hex', true);
PERFORM set_config('lc_monetary', 'C', true);
v_lock_started := clock_timestamp();
LOOP
  -- Applies the logged changes of the slices copied so far, at most batchSize entries a transaction, in the order they
  -- were logged: per key, the copy's row goes, and the key's last logged version, if it is one, takes its place
  -- (changes to one key are logged in the order they commit: each waits for the one before). Entries of slices not
  -- copied yet wait for their slice's copy, which sees them.
  LOOP
    v_failure := NULL;
    v_batch := NULL;
    BEGIN
      EXECUTE format('SELECT array_agg(partman_entry) FROM (SELECT e.partman_entry FROM %s e WHERE %s ORDER BY 1 LIMIT %s) x',
          format(v_entries, 'true'), format(v_copied, '(e.r)'), v_batch_size) INTO v_batch;
      IF v_batch IS NOT NULL THEN
        EXECUTE format('DELETE FROM %s t WHERE (%s) IN (SELECT %s FROM %s e)', v_new_name, format(v_key, 't'), format(v_key, '(e.r)'),
            format(v_entries, 'l.partman_entry = ANY ($1)')) USING v_batch;
        EXECUTE format('INSERT INTO %s (%s) OVERRIDING SYSTEM VALUE SELECT %s FROM (SELECT DISTINCT ON (%s) e.partman_delta, e.r FROM %s e '
            'ORDER BY %s, e.partman_entry DESC) f WHERE f.partman_delta > 0', v_new_name, v_columns, v_fields, format(v_key, '(e.r)'),
            format(v_entries, 'l.partman_entry = ANY ($1)'), format(v_key, '(e.r)')) USING v_batch;
        EXECUTE format('DELETE FROM %s WHERE partman_entry = ANY ($1)', v_log) USING v_batch;
      END IF;
    EXCEPTION WHEN OTHERS THEN
      v_failure := SQLERRM;
    END;
    -- A step that failed before the swap: the plain table is as it was; what the run made goes, its trigger first.
    IF v_failure IS NOT NULL THEN
      -- Dropping the trigger waits for the plain table at most lockTimeout at a time.
      -- lock_timeout stays at lockTimeout until the transaction ends: whatever else it waits for while it holds the
      -- lock fails after lockTimeout rather than keep the application waiting behind it.
      v_lock_started := clock_timestamp();
      LOOP
        BEGIN
          PERFORM set_config('lock_timeout', v_lock_timeout, true);
          EXECUTE format('LOCK TABLE ONLY %s IN ACCESS EXCLUSIVE MODE', v_name);
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
      FOR v_text IN SELECT t.tgname FROM pg_catalog.pg_trigger t WHERE t.tgrelid = v_table AND (t.tgfoid IN (coalesce(pg_catalog.to_regprocedure(format('%I.%I()', 'public', 'statistics_daily_users_partman_log'))::oid, 0), coalesce(pg_catalog.to_regprocedure(format('%I.%I()', 'public', 'statistics_daily_users_partman_back'))::oid, 0))) LOOP
        EXECUTE format('DROP TRIGGER %I ON %s', v_text, v_name);
      END LOOP;
      EXECUTE format('DROP FUNCTION IF EXISTS %I.%I()', 'public', 'statistics_daily_users_partman_log');
      EXECUTE format('DROP TABLE IF EXISTS %s', v_log);
      -- The partitioned table a run made, with its partitions, its registration and pg_partman's template table for it (not
      -- a templateTable the changelog named).
      -- Nobody but the run uses it: its locks are free. The partitions go one by one, committed a few at a time: one DROP of
      -- the partitioned table would lock every partition with its indexes at once.
      DELETE FROM "partman"."part_config_sub" WHERE sub_parent = 'public.statistics_daily_users_partman_new';
      DELETE FROM "partman"."part_config" WHERE parent_table = 'public.statistics_daily_users_partman_new' RETURNING template_table INTO v_template;
      IF v_template IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "partman"."part_config" WHERE template_table = v_template) THEN
        EXECUTE format('DROP TABLE IF EXISTS %I.%I', split_part(v_template, '.', 1), split_part(v_template, '.', 2));
      END IF;
      FOR v_text IN SELECT i.inhrelid::regclass::text FROM pg_catalog.pg_inherits i WHERE i.inhparent = to_regclass(v_new_name) LOOP
        EXECUTE format('DROP TABLE %s', v_text);
        -- Tables made, dropped or analyzed one after another are committed a few at a time: each holds one or several locks (its
        -- table, TOAST table, indexes, type) until the transaction ends, and many in one transaction would go past max_locks_per_transaction.
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
      EXECUTE format('DROP FUNCTION IF EXISTS %I.%I()', 'public', 'statistics_daily_users_partman_back');
      COMMIT;
      PERFORM set_config('TimeZone', 'UTC', true);
      -- Rows travel through the log as text: written and read back with these settings, whatever the writers' and the
      -- session's own (a lossy extra_float_digits, an IntervalStyle or DateStyle that reads back otherwise).
      PERFORM set_config('DateStyle', 'ISO, YMD', true);
      PERFORM set_config('IntervalStyle', 'postgres', true);
      PERFORM set_config('extra_float_digits', '3', true);
      PERFORM set_config('bytea_output', 'hex', true);
      PERFORM set_config('lc_monetary', 'C', true);
      RAISE EXCEPTION 'partitionExistingTable stopped converting %: %', v_name, v_failure
        USING HINT = 'The table is as it was, and what the run made is removed. Remove the cause and run it again.';
    END IF;
    EXIT WHEN v_batch IS NULL;
    v_changes := v_changes + cardinality(v_batch);
    COMMIT;
    PERFORM set_config('TimeZone', 'UTC', true);
    -- Rows travel through the log as text: written and read back with these settings, whatever the writers' and the
    -- session's own (a lossy extra_float_digits, an IntervalStyle or DateStyle that reads back otherwise).
    PERFORM set_config('DateStyle', 'ISO, YMD', true);
    PERFORM set_config('IntervalStyle', 'postgres', true);
    PERFORM set_config('extra_float_digits', '3', true);
    PERFORM set_config('bytea_output', 'hex', true);
    PERFORM set_config('lc_monetary', 'C', true);
    EXIT WHEN cardinality(v_batch) < v_batch_size;
  END LOOP;
  v_failure := NULL;
  v_swapped := false;
  v_changes_unlocked := v_changes;
  BEGIN
    PERFORM set_config('lock_timeout', v_lock_timeout, true);
    EXECUTE format('LOCK TABLE ONLY %s IN ACCESS EXCLUSIVE MODE', v_name);
    -- Applies the logged changes of the slices copied so far, at most batchSize entries a transaction, in the order they
    -- were logged: per key, the copy's row goes, and the key's last logged version, if it is one, takes its place
    -- (changes to one key are logged in the order they commit: each waits for the one before). Entries of slices not
    -- copied yet wait for their slice's copy, which sees them.
    LOOP
      v_failure := NULL;
      v_batch := NULL;
      BEGIN
        EXECUTE format('SELECT array_agg(partman_entry) FROM (SELECT e.partman_entry FROM %s e WHERE %s ORDER BY 1 LIMIT %s) x',
            format(v_entries, 'true'), format(v_copied, '(e.r)'), v_batch_size) INTO v_batch;
        IF v_batch IS NOT NULL THEN
          EXECUTE format('DELETE FROM %s t WHERE (%s) IN (SELECT %s FROM %s e)', v_new_name, format(v_key, 't'), format(v_key, '(e.r)'),
              format(v_entries, 'l.partman_entry = ANY ($1)')) USING v_batch;
          EXECUTE format('INSERT INTO %s (%s) OVERRIDING SYSTEM VALUE SELECT %s FROM (SELECT DISTINCT ON (%s) e.partman_delta, e.r FROM %s e '
              'ORDER BY %s, e.partman_entry DESC) f WHERE f.partman_delta > 0', v_new_name, v_columns, v_fields, format(v_key, '(e.r)'),
              format(v_entries, 'l.partman_entry = ANY ($1)'), format(v_key, '(e.r)')) USING v_batch;
          EXECUTE format('DELETE FROM %s WHERE partman_entry = ANY ($1)', v_log) USING v_batch;
        END IF;
      EXCEPTION WHEN OTHERS THEN
        RAISE;
      END;
      EXIT WHEN v_batch IS NULL;
      v_changes := v_changes + cardinality(v_batch);
      EXIT WHEN cardinality(v_batch) < v_batch_size;
    END LOOP;
    EXECUTE format('DROP TRIGGER partman_log ON %s', v_name);
    EXECUTE format('DROP TRIGGER partman_log_truncate ON %s', v_name);
    -- What v_table has that the table named v_name must have after the swap: its users' triggers (not PostgreSQL's own, not
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
            -- CREATE TRIGGER needs EXECUTE on the function: checked now rather than fail under the swap's lock.
            (0, NULL, CASE WHEN NOT pg_catalog.has_function_privilege(t.tgfoid, 'EXECUTE') THEN format(
                'trigger %I calls %I.%I(), which %I may not execute (GRANT EXECUTE ON FUNCTION %I.%I() TO %I)',
                t.tgname, fn.nspname, f.proname, current_user, fn.nspname, f.proname, current_user) END),
            (0, NULL, CASE WHEN t.tgqual IS NOT NULL AND ((length(d.def) - length(replace(d.def, m.starts, ''))) / length(m.starts) <> 1
                                                          OR (length(d.def) - length(replace(d.def, m.ends, ''))) / length(m.ends) <> 1) THEN format(
                'trigger %I: its WHEN condition cannot be told apart from its names and arguments', t.tgname) END)
          ) x(step, statement, problem)
          WHERE t.tgrelid = v_table AND NOT t.tgisinternal AND NOT (t.tgfoid IN (coalesce(pg_catalog.to_regprocedure(format('%I.%I()', 'public', 'statistics_daily_users_partman_log'))::oid, 0), coalesce(pg_catalog.to_regprocedure(format('%I.%I()', 'public', 'statistics_daily_users_partman_back'))::oid, 0)))
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
          WHERE p.polrelid = v_table
        UNION ALL
        SELECT 3, '', 1, format('ALTER TABLE %s %s ROW LEVEL SECURITY, %s ROW LEVEL SECURITY', v_name,
            CASE WHEN c.relrowsecurity THEN 'ENABLE' ELSE 'DISABLE' END, CASE WHEN c.relforcerowsecurity THEN 'FORCE' ELSE 'NO FORCE' END), NULL
          FROM pg_catalog.pg_class c WHERE c.oid = v_table
      ) s;
    IF v_problems IS NOT NULL THEN
      RAISE EXCEPTION 'partitionExistingTable cannot carry over exactly what % has: %', v_name, v_problems
        USING HINT = 'Grant what is missing, or drop or change those triggers, run it again, then create them again as a partitioned table allows.';
    END IF;
    -- The indexes of v_new take the names of v_table's with the same definition (and so do the constraints they back).
    FOR v_oid, v_other, v_text IN
        SELECT a.indexrelid, b.indexrelid, (SELECT relname FROM pg_catalog.pg_class WHERE oid = a.indexrelid)
          FROM (SELECT indexrelid, regexp_replace(pg_catalog.pg_get_indexdef(indexrelid), '^.* USING ', '') AS def,
                       row_number() OVER (PARTITION BY regexp_replace(pg_catalog.pg_get_indexdef(indexrelid), '^.* USING ', '') ORDER BY indexrelid) AS n
                  FROM pg_catalog.pg_index WHERE indrelid = v_table) a
          JOIN (SELECT indexrelid, regexp_replace(pg_catalog.pg_get_indexdef(indexrelid), '^.* USING ', '') AS def,
                       row_number() OVER (PARTITION BY regexp_replace(pg_catalog.pg_get_indexdef(indexrelid), '^.* USING ', '') ORDER BY indexrelid) AS n
                  FROM pg_catalog.pg_index WHERE indrelid = v_new) b USING (def, n) LOOP
      EXECUTE format('ALTER INDEX %s RENAME TO %I', v_oid::regclass, 'partman_old_' || v_oid);
      EXECUTE format('ALTER INDEX %s RENAME TO %I', v_other::regclass, v_text);
    END LOOP;
    -- Sequences owned by v_table's columns (serial columns) belong to v_new's from now on.
    FOR v_oid, v_text IN SELECT d.objid, a.attname FROM pg_catalog.pg_depend d
        JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
        WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjid = v_table
          AND d.deptype = 'a' AND EXISTS (SELECT 1 FROM pg_catalog.pg_class s WHERE s.oid = d.objid AND s.relkind = 'S') LOOP
      EXECUTE format('ALTER SEQUENCE %s OWNED BY %s.%I', v_oid::regclass, v_new, v_text);
    END LOOP;
    -- Identity columns: v_new's sequence goes on from where v_table's is, under its name.
    FOR v_other_text IN SELECT attname FROM pg_catalog.pg_attribute WHERE attrelid = v_table AND attidentity <> '' AND attnum > 0 AND NOT attisdropped LOOP
      v_oid := pg_catalog.pg_get_serial_sequence(v_table::text, v_other_text)::regclass;
      v_other := pg_catalog.pg_get_serial_sequence(v_new::text, v_other_text)::regclass;
      EXECUTE format('SELECT pg_catalog.setval(%L, s.last_value, s.is_called) FROM %s s', v_other::regclass::text, v_oid::regclass);
      -- v_other::regclass gets exactly the grants of v_oid (SEQUENCE; not its owner's own, on it and on its columns, with their grant
      -- options): what default privileges or earlier grants gave v_other::regclass is revoked first.
      FOR v_text IN SELECT DISTINCT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_catalog.pg_get_userbyid(a.grantee)) END
          FROM pg_catalog.pg_class c JOIN pg_catalog.pg_attribute t ON t.attrelid = c.oid AND t.attnum > 0,
               LATERAL pg_catalog.aclexplode(CASE WHEN t.attnum = 1 THEN c.relacl END || t.attacl) a
          WHERE c.oid = (v_other::regclass)::regclass AND a.grantee <> c.relowner LOOP
        EXECUTE format('REVOKE ALL ON SEQUENCE %s FROM %s CASCADE', v_other::regclass, v_text);
      END LOOP;
      FOR v_text IN
          SELECT format('GRANT %s ON SEQUENCE %s TO %s%s', a.privilege_type, v_other::regclass,
                   CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_catalog.pg_get_userbyid(a.grantee)) END,
                   CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)
            FROM pg_catalog.pg_class c, LATERAL pg_catalog.aclexplode(c.relacl) a WHERE c.oid = v_oid AND a.grantee <> c.relowner
          UNION ALL
          SELECT format('GRANT %s (%I) ON SEQUENCE %s TO %s%s', a.privilege_type, t.attname, v_other::regclass,
                   CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_catalog.pg_get_userbyid(a.grantee)) END,
                   CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)
            FROM pg_catalog.pg_attribute t, LATERAL pg_catalog.aclexplode(t.attacl) a
            WHERE t.attrelid = v_oid AND t.attnum > 0 AND NOT t.attisdropped AND t.attacl IS NOT NULL LOOP
        EXECUTE v_text;
      END LOOP;
      SELECT relname INTO v_text FROM pg_catalog.pg_class WHERE oid = v_oid;
      EXECUTE format('ALTER SEQUENCE %s RENAME TO %I', v_oid::regclass, 'partman_old_' || v_oid);
      EXECUTE format('ALTER SEQUENCE %s RENAME TO %I', v_other::regclass, v_text);
    END LOOP;
    EXECUTE format('ALTER TABLE %s RENAME TO %I', v_name, 'statistics_daily_users_partman_old');
    EXECUTE format('ALTER TABLE %s RENAME TO %I', v_new_name, 'statistics_daily_users');
    UPDATE "partman"."part_config" SET parent_table = 'public.statistics_daily_users', automatic_maintenance = 'on' WHERE parent_table = 'public.statistics_daily_users_partman_new';
    -- The plain table's triggers and policies, made on the new table only now: the copy and the log's replay fired
    -- none of them (the application's writes fired them once already, on the plain table).
    FOREACH v_text IN ARRAY v_carry LOOP
      EXECUTE v_text;
    END LOOP;
    -- The plain table keeps its policies (its grants stay too), and its triggers are disabled: the write-back must not
    -- fire them a second time. The rollback gives it the partitioned table's.
    FOR v_text IN SELECT t.tgname FROM pg_catalog.pg_trigger t WHERE t.tgrelid = v_table AND NOT t.tgisinternal AND NOT (t.tgfoid IN (coalesce(pg_catalog.to_regprocedure(format('%I.%I()', 'public', 'statistics_daily_users_partman_log'))::oid, 0), coalesce(pg_catalog.to_regprocedure(format('%I.%I()', 'public', 'statistics_daily_users_partman_back'))::oid, 0))) AND t.tgenabled <> 'D' LOOP
      EXECUTE format('ALTER TABLE %s DISABLE TRIGGER %I', v_table, v_text);
    END LOOP;
    -- The write-back names these columns: PostgreSQL refuses to drop or retype a column a view reads (naming the view),
    -- where the write-back would fail every write of the application. LIMIT makes it a view no one can write through.
    EXECUTE format('CREATE VIEW %I.%I AS SELECT %s FROM ONLY %s WHERE false LIMIT 0', 'public', 'statistics_daily_users_partman_cols', v_columns, v_name);
    EXECUTE format('ALTER VIEW %I.%I OWNER TO %I', 'public', 'statistics_daily_users_partman_cols', (SELECT pg_catalog.pg_get_userbyid(relowner) FROM pg_catalog.pg_class WHERE oid = v_new));
    EXECUTE format('COMMENT ON VIEW %I.%I IS %L', 'public', 'statistics_daily_users_partman_cols', format('Kept by partitionExistingTable until dropPartmanOldTable: '
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
    -- A step that failed before the swap: the plain table is as it was; what the run made goes, its trigger first.
    IF v_failure IS NOT NULL THEN
      -- Dropping the trigger waits for the plain table at most lockTimeout at a time.
      -- lock_timeout stays at lockTimeout until the transaction ends: whatever else it waits for while it holds the
      -- lock fails after lockTimeout rather than keep the application waiting behind it.
      v_lock_started := clock_timestamp();
      LOOP
        BEGIN
          PERFORM set_config('lock_timeout', v_lock_timeout, true);
          EXECUTE format('LOCK TABLE ONLY %s IN ACCESS EXCLUSIVE MODE', v_name);
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
      FOR v_text IN SELECT t.tgname FROM pg_catalog.pg_trigger t WHERE t.tgrelid = v_table AND (t.tgfoid IN (coalesce(pg_catalog.to_regprocedure(format('%I.%I()', 'public', 'statistics_daily_users_partman_log'))::oid, 0), coalesce(pg_catalog.to_regprocedure(format('%I.%I()', 'public', 'statistics_daily_users_partman_back'))::oid, 0))) LOOP
        EXECUTE format('DROP TRIGGER %I ON %s', v_text, v_name);
      END LOOP;
      EXECUTE format('DROP FUNCTION IF EXISTS %I.%I()', 'public', 'statistics_daily_users_partman_log');
      EXECUTE format('DROP TABLE IF EXISTS %s', v_log);
      -- The partitioned table a run made, with its partitions, its registration and pg_partman's template table for it (not
      -- a templateTable the changelog named).
      -- Nobody but the run uses it: its locks are free. The partitions go one by one, committed a few at a time: one DROP of
      -- the partitioned table would lock every partition with its indexes at once.
      DELETE FROM "partman"."part_config_sub" WHERE sub_parent = 'public.statistics_daily_users_partman_new';
      DELETE FROM "partman"."part_config" WHERE parent_table = 'public.statistics_daily_users_partman_new' RETURNING template_table INTO v_template;
      IF v_template IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "partman"."part_config" WHERE template_table = v_template) THEN
        EXECUTE format('DROP TABLE IF EXISTS %I.%I', split_part(v_template, '.', 1), split_part(v_template, '.', 2));
      END IF;
      FOR v_text IN SELECT i.inhrelid::regclass::text FROM pg_catalog.pg_inherits i WHERE i.inhparent = to_regclass(v_new_name) LOOP
        EXECUTE format('DROP TABLE %s', v_text);
        -- Tables made, dropped or analyzed one after another are committed a few at a time: each holds one or several locks (its
        -- table, TOAST table, indexes, type) until the transaction ends, and many in one transaction would go past max_locks_per_transaction.
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
      EXECUTE format('DROP FUNCTION IF EXISTS %I.%I()', 'public', 'statistics_daily_users_partman_back');
      COMMIT;
      PERFORM set_config('TimeZone', 'UTC', true);
      -- Rows travel through the log as text: written and read back with these settings, whatever the writers' and the
      -- session's own (a lossy extra_float_digits, an IntervalStyle or DateStyle that reads back otherwise).
      PERFORM set_config('DateStyle', 'ISO, YMD', true);
      PERFORM set_config('IntervalStyle', 'postgres', true);
      PERFORM set_config('extra_float_digits', '3', true);
      PERFORM set_config('bytea_output', 'hex', true);
      PERFORM set_config('lc_monetary', 'C', true);
      RAISE EXCEPTION 'partitionExistingTable stopped converting %: %', v_name, v_failure
        USING HINT = 'The table is as it was, and what the run made is removed. Remove the cause and run it again.';
    END IF;
  END IF;
  COMMIT;
  PERFORM set_config('TimeZone', 'UTC', true);
  -- Rows travel through the log as text: written and read back with these settings, whatever the writers' and the
  -- session's own (a lossy extra_float_digits, an IntervalStyle or DateStyle that reads back otherwise).
  PERFORM set_config('DateStyle', 'ISO, YMD', true);
  PERFORM set_config('IntervalStyle', 'postgres', true);
  PERFORM set_config('extra_float_digits', '3', true);
  PERFORM set_config('bytea_output', 'hex', true);
  PERFORM set_config('lc_monetary', 'C', true);
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
-- The log and its function, unused since the swap dropped the trigger.
EXECUTE format('DROP FUNCTION %I.%I()', 'public', 'statistics_daily_users_partman_log');
EXECUTE format('DROP TABLE %s', v_log);
COMMIT;
PERFORM set_config('TimeZone', 'UTC', true);
-- Rows travel through the log as text: written and read back with these settings, whatever the writers' and the
-- session's own (a lossy extra_float_digits, an IntervalStyle or DateStyle that reads back otherwise).
PERFORM set_config('DateStyle', 'ISO, YMD', true);
PERFORM set_config('IntervalStyle', 'postgres', true);
PERFORM set_config('extra_float_digits', '3', true);
PERFORM set_config('bytea_output', 'hex', true);
PERFORM set_config('lc_monetary', 'C', true);
