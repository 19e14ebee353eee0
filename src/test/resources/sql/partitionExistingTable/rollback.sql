DO $partman$
DECLARE
  v_name text := format('%I.%I', 'public', 'statistics_daily_users');
  v_new_name text := format('%I.%I', 'public', 'statistics_daily_users_partman_new');
  v_old_name text := format('%I.%I', 'public', 'statistics_daily_users_partman_old');
  v_table regclass := to_regclass(format('%I.%I', 'public', 'statistics_daily_users_partman_old'));
  v_new regclass := to_regclass(format('%I.%I', 'public', 'statistics_daily_users'));
  v_run_lock int := pg_catalog.hashtext('liquibase-partman partitionExistingTable');
  v_batch_size bigint := 50000;
  v_lock_timeout text := '100ms';
  -- The reconciliation's row locks wait at most lockTimeout, and less than PostgreSQL waits before it looks for a
  -- deadlock: in a deadlock with a writer, the reconciliation gives way before the writer could be the one to fail.
  v_row_lock_timeout text := greatest(1, floor(1000 * extract(epoch FROM least('100ms'::interval,
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
-- One run per table. The lock is the session's, so it lasts across this script's commits and ends with the session
-- however the session ends.
IF NOT pg_catalog.pg_try_advisory_lock(v_run_lock, pg_catalog.hashtext(v_name)) THEN
  SELECT string_agg(l.pid::text, ', ') INTO v_holders FROM pg_catalog.pg_locks l
    WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
      AND l.classid = (v_run_lock::bigint & 4294967295)::oid AND l.objid = (pg_catalog.hashtext(v_name)::bigint & 4294967295)::oid;
  RAISE EXCEPTION 'another partitionExistingTable (backend %) is converting %', v_holders, v_name
    USING HINT = 'Wait for it to finish, or end that session with pg_terminate_backend() and run this again.';
END IF;
IF v_table IS NULL AND to_regclass(v_new_name) IS NOT NULL AND (SELECT relkind FROM pg_catalog.pg_class WHERE oid = v_new) = 'r' THEN
  -- A rollback killed after its reverse swap committed left the plain table under its name with every row, and the
  -- partitioned table beside it, unused: dropping that is all that is left to do.
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
  PERFORM pg_catalog.pg_advisory_unlock(v_run_lock, pg_catalog.hashtext(v_name));
  RAISE NOTICE 'liquibase-partman: partitionExistingTable %: finished an interrupted rollback; % is the plain table, with every row, and the partitioned table % is dropped',
    'public.statistics_daily_users', v_name, v_new_name;
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
      AND t.tgenabled = 'A' AND (t.tgfoid IN (coalesce(pg_catalog.to_regprocedure(format('%I.%I()', 'public', 'statistics_daily_users_partman_log'))::oid, 0), coalesce(pg_catalog.to_regprocedure(format('%I.%I()', 'public', 'statistics_daily_users_partman_back'))::oid, 0)))) <> 2 THEN
  RAISE EXCEPTION 'the rollback of partitionExistingTable: % has no trigger partman_back and partman_back_truncate enabled any more, so % may lack later writes',
    v_name, v_old_name
    USING HINT = 'Copy the rows back by hand if you need the plain table.';
END IF;
-- The write-back writes the columns the table had at the conversion: a column added, dropped, renamed or retyped since
-- is not in the plain table as the partitioned table has it, and going back would lose or refuse its values.
v_text := coalesce(pg_catalog.obj_description(pg_catalog.to_regprocedure(format('%I.%I()', 'public', 'statistics_daily_users_partman_back')), 'pg_proc'),
    (SELECT string_agg(format('%I %s', a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod)), ', ' ORDER BY a.attnum) FROM pg_catalog.pg_attribute a WHERE a.attrelid = v_table AND a.attnum > 0 AND NOT a.attisdropped));
v_other_text := (SELECT string_agg(format('%I %s', a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod)), ', ' ORDER BY a.attnum) FROM pg_catalog.pg_attribute a WHERE a.attrelid = v_new AND a.attnum > 0 AND NOT a.attisdropped);
IF v_other_text IS DISTINCT FROM v_text OR v_text IS DISTINCT FROM (SELECT string_agg(format('%I %s', a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod)), ', ' ORDER BY a.attnum) FROM pg_catalog.pg_attribute a WHERE a.attrelid = v_table AND a.attnum > 0 AND NOT a.attisdropped) THEN
  RAISE EXCEPTION 'the rollback of partitionExistingTable: the columns of % changed since the conversion (now: %; at the conversion: %), and the trigger that keeps % exact writes only those it had',
    v_name, v_other_text, v_text, v_old_name
    USING HINT = 'Undo the column change before rolling back, or make the conversion final (dropPartmanOldTable) and go back by hand.';
END IF;
-- Everything that would stop the rollback is refused now, before anything is done, and checked again under its lock.
-- The swap renames the tables and makes, drops and changes their triggers and policies: what only their owner may do.
SELECT string_agg(format('%I.%I', n.nspname, c.relname), ', ' ORDER BY c.oid) INTO v_problems
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.oid = ANY (ARRAY[v_new::oid, v_table::oid]) AND NOT pg_catalog.pg_has_role(c.relowner, 'USAGE');
IF v_problems IS NOT NULL THEN
  RAISE EXCEPTION 'the rollback of partitionExistingTable: % may not rename or alter %, which only its owner may', current_user, v_problems
    USING HINT = 'Run it as the owner of the table (or a member of the owning role, or a superuser).';
END IF;
-- It reads the partitioned table and writes the plain one as this role: policies applying to it would hide rows.
IF pg_catalog.row_security_active(v_new) OR pg_catalog.row_security_active(v_table) THEN
  RAISE EXCEPTION 'the rollback of partitionExistingTable: the row-level security of % or % applies to %, so it would not see every row',
    v_name, v_old_name, current_user
    USING HINT = 'Run it as a superuser or a role with BYPASSRLS, or ALTER TABLE ... NO FORCE ROW LEVEL SECURITY while it runs.';
END IF;
-- What depends on the tables given (oids) and would keep pointing at them once another table has taken their place:
-- v_problems lists it (views, functions, functions and columns of their row types, other tables' foreign keys and
-- policies, and their own objects that name another of them), v_other_text what of theirs is not carried over (rules,
-- publications). A table's own constraints, defaults, indexes, statistics, triggers and policies, which the other
-- table gets, point at its columns too, and so does the view the swap makes to keep the write-back's columns, which the
-- rollback drops with the write-back.
SELECT string_agg(DISTINCT coalesce((SELECT pg_catalog.pg_describe_object('pg_catalog.pg_class'::regclass, w.ev_class, 0) FROM pg_catalog.pg_rewrite w
                                      WHERE d.classid = 'pg_catalog.pg_rewrite'::regclass AND w.oid = d.objid),
                                     pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid)), ', ') INTO v_problems
  FROM unnest(ARRAY(SELECT relid::oid FROM pg_catalog.pg_partition_tree(v_new))) r(relid)
  JOIN pg_catalog.pg_class rc ON rc.oid = r.relid
  -- A function or column of a table's row type would keep that table's type.
  JOIN pg_catalog.pg_depend d ON d.deptype = 'n' AND (d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjid = r.relid
                                                      OR d.refclassid = 'pg_catalog.pg_type'::regclass AND d.refobjid = rc.reltype)
  WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c WHERE d.classid = 'pg_catalog.pg_constraint'::regclass AND c.oid = d.objid
                      AND c.conrelid = r.relid AND c.confrelid <> r.relid)
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attrdef a WHERE d.classid = 'pg_catalog.pg_attrdef'::regclass AND a.oid = d.objid AND a.adrelid = r.relid)
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_index i WHERE d.classid = 'pg_catalog.pg_class'::regclass AND i.indexrelid = d.objid AND i.indrelid = r.relid)
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_statistic_ext x WHERE d.classid = 'pg_catalog.pg_statistic_ext'::regclass AND x.oid = d.objid
                      AND x.stxrelid = r.relid)
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger t WHERE d.classid = 'pg_catalog.pg_trigger'::regclass AND t.oid = d.objid AND t.tgrelid = r.relid)
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_policy p WHERE d.classid = 'pg_catalog.pg_policy'::regclass AND p.oid = d.objid AND p.polrelid = r.relid)
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_rewrite w WHERE d.classid = 'pg_catalog.pg_rewrite'::regclass AND w.oid = d.objid
                      AND w.ev_class IN (r.relid, coalesce(pg_catalog.to_regclass(format('%I.%I', 'public', 'statistics_daily_users_partman_cols'))::oid, 0)));
SELECT concat_ws(', ',
    (SELECT 'rules ' || string_agg(quote_ident(rulename), ', ') FROM pg_catalog.pg_rewrite WHERE ev_class = ANY (ARRAY(SELECT relid::oid FROM pg_catalog.pg_partition_tree(v_new)))),
    (SELECT 'publications ' || string_agg(DISTINCT quote_ident(p.pubname), ', ') FROM pg_catalog.pg_publication_rel r
      JOIN pg_catalog.pg_publication p ON p.oid = r.prpubid WHERE r.prrelid = ANY (ARRAY(SELECT relid::oid FROM pg_catalog.pg_partition_tree(v_new)))))
  INTO v_other_text;
IF v_problems IS NOT NULL OR v_other_text <> '' THEN
  RAISE EXCEPTION 'the rollback of partitionExistingTable drops % and its partitions, and these depend on them or are theirs and not carried back: %',
    v_name, concat_ws('; ', v_problems, nullif(v_other_text, ''))
    USING HINT = 'Drop them, roll back, then create them again on the plain table.';
END IF;
-- The partitioned table's triggers, policies and row-level security go back to the plain table.
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
        -- CREATE TRIGGER needs EXECUTE on the function: checked now rather than fail under the swap's lock.
        (0, NULL, CASE WHEN NOT pg_catalog.has_function_privilege(t.tgfoid, 'EXECUTE') THEN format(
            'trigger %I calls %I.%I(), which %I may not execute (GRANT EXECUTE ON FUNCTION %I.%I() TO %I)',
            t.tgname, fn.nspname, f.proname, current_user, fn.nspname, f.proname, current_user) END),
        (0, NULL, CASE WHEN t.tgqual IS NOT NULL AND ((length(d.def) - length(replace(d.def, m.starts, ''))) / length(m.starts) <> 1
                                                      OR (length(d.def) - length(replace(d.def, m.ends, ''))) / length(m.ends) <> 1) THEN format(
            'trigger %I: its WHEN condition cannot be told apart from its names and arguments', t.tgname) END)
      ) x(step, statement, problem)
      WHERE t.tgrelid = v_new AND NOT t.tgisinternal AND NOT (t.tgfoid IN (coalesce(pg_catalog.to_regprocedure(format('%I.%I()', 'public', 'statistics_daily_users_partman_log'))::oid, 0), coalesce(pg_catalog.to_regprocedure(format('%I.%I()', 'public', 'statistics_daily_users_partman_back'))::oid, 0)))
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
    USING HINT = 'Grant what is missing, or drop or change those triggers, run it again, then create them again as a partitioned table allows.';
END IF;
-- v_columns: what a copy writes (generated columns compute themselves); v_fields: those of a logged row r;
-- v_new_fields: those of the row a trigger sees.
SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum), string_agg('(f.r).' || quote_ident(a.attname), ', ' ORDER BY a.attnum),
       string_agg('NEW.' || quote_ident(a.attname), ', ' ORDER BY a.attnum)
  INTO v_columns, v_fields, v_new_fields
  FROM pg_catalog.pg_attribute a
  WHERE a.attrelid = v_table AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '';
-- The key the copy walks: the primary key, else a unique index on NOT NULL columns. v_key is a format string
-- whose argument is the row (t, (e.r), OLD); v_key_literal writes a row's key as SQL, to bound a slice with.
SELECT string_agg('%1$s.' || replace(quote_ident(a.attname), '%', '%%'), ', ' ORDER BY k.position),
       format('format(%L, %s)', format('ROW(%s)', string_agg('%L::' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY k.position)),
           string_agg(quote_ident(a.attname), ', ' ORDER BY k.position)),
       string_agg(quote_ident(a.attname), ', ' ORDER BY k.position)
  INTO v_key, v_key_literal, v_key_order
  FROM (SELECT i.indexrelid FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class x ON x.oid = i.indexrelid
          JOIN pg_catalog.pg_am m ON m.oid = x.relam AND m.amname = 'btree'
          WHERE i.indrelid = v_table AND i.indisunique AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL
            AND NOT EXISTS (SELECT 1 FROM unnest(i.indkey::int2[]) c JOIN pg_catalog.pg_attribute ca ON ca.attrelid = v_table AND ca.attnum = c
                            WHERE NOT ca.attnotnull OR ca.attgenerated <> '')
          ORDER BY i.indisprimary DESC, i.indnkeyatts, i.indexrelid LIMIT 1) u
  JOIN pg_catalog.pg_index i ON i.indexrelid = u.indexrelid,
  LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, position)
  JOIN pg_catalog.pg_attribute a ON a.attrelid = v_table AND a.attnum = k.attnum
  WHERE k.position <= i.indnkeyatts
  HAVING count(*) > 0;
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
    -- The plain table is made to hold exactly the keys the partitioned table holds. The write-back applies every row
    -- written, but the rows of a partition truncated (TRUNCATE of a partition fires no trigger of the partitioned table),
    -- detached or dropped go unseen, and those of a table attached come unseen. Slice by slice, each at most batchSize
    -- rows of the table walked and a transaction of its own: first the plain table's rows whose key the partitioned table
    -- lacks go, then the partitioned table's rows whose key the plain table lacks come. A writer changes both tables in
    -- its one transaction and each statement sees both in one snapshot, so what a statement finds is only what the
    -- write-back never saw; a key written meanwhile is written to both. A row added is share-locked in the partitioned
    -- table until its slice commits: a writer deleting or updating it then waits, and its write-back finds the row added
    -- (without the lock it found nothing to delete or replace, and the row came back, or its write failed on the key).
    -- A row lock the slice waits for that a writer holds, the writer perhaps waiting for one of the slice's, is given up
    -- after v_row_lock_timeout, before the writer could find a deadlock and fail: the slice is done again.
    FOR v_direction IN 1..2 LOOP
      v_low := NULL;
      LOOP
        -- The next slice in key order: v_cut is the key of its last row (NULL when fewer than batchSize rows are left after
        -- v_low: the last slice's end), v_slice its rows, a format string whose argument is the row.
        -- The key is written as SQL for the one row found only: for every row skipped it would cost more than the scan.
        EXECUTE format('SELECT %s FROM (SELECT %s FROM %s t WHERE %s ORDER BY %s OFFSET %s LIMIT 1) t', v_key_literal, v_key_order, CASE v_direction WHEN 1 THEN 'ONLY ' || v_table::text ELSE v_new::text END,
            CASE WHEN v_low IS NULL THEN 'true' ELSE format(format('ROW(%s) > %s', v_key, replace(v_low, '%', '%%')), 't') END,
            v_key_order, v_batch_size - 1) INTO v_cut;
        v_slice := concat_ws(' AND ', 'true', CASE WHEN v_low IS NOT NULL THEN format('ROW(%s) > %s', v_key, replace(v_low, '%', '%%')) END,
            CASE WHEN v_cut IS NOT NULL THEN format('ROW(%s) <= %s', v_key, replace(v_cut, '%', '%%')) END);
        v_lock_started := clock_timestamp();
        LOOP
          BEGIN
            PERFORM set_config('lock_timeout', v_row_lock_timeout, true);
            IF v_direction = 1 THEN
              EXECUTE format('DELETE FROM ONLY %1$s t WHERE %3$s AND NOT EXISTS (SELECT 1 FROM %2$s n WHERE %4$s AND (%5$s) = (%6$s))',
                  v_table, v_new, format(v_slice, 't'), format(v_slice, 'n'), format(v_key, 'n'), format(v_key, 't'));
              GET DIAGNOSTICS v_rows = ROW_COUNT;
              v_removed := v_removed + v_rows;
            ELSE
              -- A key a writer wrote since this statement's snapshot is in the plain table already, and is the writer's. A row
              -- moved to another partition since then cannot be locked (serialization_failure): the slice is done again.
              EXECUTE format('INSERT INTO %1$s (%3$s) OVERRIDING SYSTEM VALUE SELECT %3$s FROM %2$s t WHERE %4$s '
                  'AND NOT EXISTS (SELECT 1 FROM ONLY %1$s o WHERE %5$s AND (%6$s) = (%7$s)) FOR SHARE OF t ON CONFLICT (%8$s) DO NOTHING',
                  v_table, v_new, v_columns, format(v_slice, 't'), format(v_slice, 'o'), format(v_key, 'o'), format(v_key, 't'), v_key_order);
              GET DIAGNOSTICS v_rows = ROW_COUNT;
              v_added := v_added + v_rows;
            END IF;
            EXIT;
          EXCEPTION WHEN lock_not_available OR deadlock_detected OR serialization_failure THEN
            IF clock_timestamp() - v_lock_started > interval '1 minute' THEN
              RAISE EXCEPTION 'the rollback of partitionExistingTable could not lock rows of % and % within a minute (lockTimeout %); sessions writing them: %',
                v_name, v_old_name, v_lock_timeout, (SELECT string_agg(DISTINCT l.pid::text, ', ') FROM pg_catalog.pg_locks l
                  WHERE l.relation IN (v_new, v_table) AND l.granted AND l.pid <> pg_backend_pid())
                USING HINT = 'Run it again when those sessions are done, or raise lockTimeout.';
            END IF;
          END;
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
        EXIT WHEN v_cut IS NULL;
        v_low := v_cut;
      END LOOP;
    END LOOP;
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
    -- What depends on the tables given (oids) and would keep pointing at them once another table has taken their place:
    -- v_problems lists it (views, functions, functions and columns of their row types, other tables' foreign keys and
    -- policies, and their own objects that name another of them), v_other_text what of theirs is not carried over (rules,
    -- publications). A table's own constraints, defaults, indexes, statistics, triggers and policies, which the other
    -- table gets, point at its columns too, and so does the view the swap makes to keep the write-back's columns, which the
    -- rollback drops with the write-back.
    SELECT string_agg(DISTINCT coalesce((SELECT pg_catalog.pg_describe_object('pg_catalog.pg_class'::regclass, w.ev_class, 0) FROM pg_catalog.pg_rewrite w
                                          WHERE d.classid = 'pg_catalog.pg_rewrite'::regclass AND w.oid = d.objid),
                                         pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid)), ', ') INTO v_problems
      FROM unnest(ARRAY(SELECT relid::oid FROM pg_catalog.pg_partition_tree(v_new))) r(relid)
      JOIN pg_catalog.pg_class rc ON rc.oid = r.relid
      -- A function or column of a table's row type would keep that table's type.
      JOIN pg_catalog.pg_depend d ON d.deptype = 'n' AND (d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjid = r.relid
                                                          OR d.refclassid = 'pg_catalog.pg_type'::regclass AND d.refobjid = rc.reltype)
      WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c WHERE d.classid = 'pg_catalog.pg_constraint'::regclass AND c.oid = d.objid
                          AND c.conrelid = r.relid AND c.confrelid <> r.relid)
        AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attrdef a WHERE d.classid = 'pg_catalog.pg_attrdef'::regclass AND a.oid = d.objid AND a.adrelid = r.relid)
        AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_index i WHERE d.classid = 'pg_catalog.pg_class'::regclass AND i.indexrelid = d.objid AND i.indrelid = r.relid)
        AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_statistic_ext x WHERE d.classid = 'pg_catalog.pg_statistic_ext'::regclass AND x.oid = d.objid
                          AND x.stxrelid = r.relid)
        AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger t WHERE d.classid = 'pg_catalog.pg_trigger'::regclass AND t.oid = d.objid AND t.tgrelid = r.relid)
        AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_policy p WHERE d.classid = 'pg_catalog.pg_policy'::regclass AND p.oid = d.objid AND p.polrelid = r.relid)
        AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_rewrite w WHERE d.classid = 'pg_catalog.pg_rewrite'::regclass AND w.oid = d.objid
                          AND w.ev_class IN (r.relid, coalesce(pg_catalog.to_regclass(format('%I.%I', 'public', 'statistics_daily_users_partman_cols'))::oid, 0)));
    SELECT concat_ws(', ',
        (SELECT 'rules ' || string_agg(quote_ident(rulename), ', ') FROM pg_catalog.pg_rewrite WHERE ev_class = ANY (ARRAY(SELECT relid::oid FROM pg_catalog.pg_partition_tree(v_new)))),
        (SELECT 'publications ' || string_agg(DISTINCT quote_ident(p.pubname), ', ') FROM pg_catalog.pg_publication_rel r
          JOIN pg_catalog.pg_publication p ON p.oid = r.prpubid WHERE r.prrelid = ANY (ARRAY(SELECT relid::oid FROM pg_catalog.pg_partition_tree(v_new)))))
      INTO v_other_text;
    IF v_problems IS NOT NULL OR v_other_text <> '' THEN
      RAISE EXCEPTION 'the rollback of partitionExistingTable drops % and its partitions, and these depend on them or are theirs and not carried back: %',
        v_name, concat_ws('; ', v_problems, nullif(v_other_text, ''))
        USING HINT = 'Drop them, roll back, then create them again on the plain table.';
    END IF;
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
            -- CREATE TRIGGER needs EXECUTE on the function: checked now rather than fail under the swap's lock.
            (0, NULL, CASE WHEN NOT pg_catalog.has_function_privilege(t.tgfoid, 'EXECUTE') THEN format(
                'trigger %I calls %I.%I(), which %I may not execute (GRANT EXECUTE ON FUNCTION %I.%I() TO %I)',
                t.tgname, fn.nspname, f.proname, current_user, fn.nspname, f.proname, current_user) END),
            (0, NULL, CASE WHEN t.tgqual IS NOT NULL AND ((length(d.def) - length(replace(d.def, m.starts, ''))) / length(m.starts) <> 1
                                                          OR (length(d.def) - length(replace(d.def, m.ends, ''))) / length(m.ends) <> 1) THEN format(
                'trigger %I: its WHEN condition cannot be told apart from its names and arguments', t.tgname) END)
          ) x(step, statement, problem)
          WHERE t.tgrelid = v_new AND NOT t.tgisinternal AND NOT (t.tgfoid IN (coalesce(pg_catalog.to_regprocedure(format('%I.%I()', 'public', 'statistics_daily_users_partman_log'))::oid, 0), coalesce(pg_catalog.to_regprocedure(format('%I.%I()', 'public', 'statistics_daily_users_partman_back'))::oid, 0)))
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
        USING HINT = 'Grant what is missing, or drop or change those triggers, run it again, then create them again as a partitioned table allows.';
    END IF;
    -- The view keeping the write-back's columns goes with it (a conversion by an earlier snapshot of this extension has none).
    EXECUTE format('DROP VIEW IF EXISTS %I.%I', 'public', 'statistics_daily_users_partman_cols');
    EXECUTE format('DROP TRIGGER partman_back ON %s', v_new);
    EXECUTE format('DROP TRIGGER partman_back_truncate ON %s', v_new);
    EXECUTE format('DROP FUNCTION %I.%I()', 'public', 'statistics_daily_users_partman_back');
    -- The plain table's own triggers (disabled since the swap) and policies give way to the partitioned table's, as
    -- they are now: what was changed since the conversion is what the plain table gets.
    FOR v_text IN SELECT t.tgname FROM pg_catalog.pg_trigger t WHERE t.tgrelid = v_table AND NOT t.tgisinternal AND NOT (t.tgfoid IN (coalesce(pg_catalog.to_regprocedure(format('%I.%I()', 'public', 'statistics_daily_users_partman_log'))::oid, 0), coalesce(pg_catalog.to_regprocedure(format('%I.%I()', 'public', 'statistics_daily_users_partman_back'))::oid, 0))) LOOP
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
    -- v_table gets exactly the grants of v_new (TABLE; not its owner's own, on it and on its columns, with their grant
    -- options): what default privileges or earlier grants gave v_table is revoked first.
    FOR v_text IN SELECT DISTINCT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_catalog.pg_get_userbyid(a.grantee)) END
        FROM pg_catalog.pg_class c JOIN pg_catalog.pg_attribute t ON t.attrelid = c.oid AND t.attnum > 0,
             LATERAL pg_catalog.aclexplode(CASE WHEN t.attnum = 1 THEN c.relacl END || t.attacl) a
        WHERE c.oid = (v_table)::regclass AND a.grantee <> c.relowner LOOP
      EXECUTE format('REVOKE ALL ON TABLE %s FROM %s CASCADE', v_table, v_text);
    END LOOP;
    FOR v_text IN
        SELECT format('GRANT %s ON TABLE %s TO %s%s', a.privilege_type, v_table,
                 CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_catalog.pg_get_userbyid(a.grantee)) END,
                 CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)
          FROM pg_catalog.pg_class c, LATERAL pg_catalog.aclexplode(c.relacl) a WHERE c.oid = v_new AND a.grantee <> c.relowner
        UNION ALL
        SELECT format('GRANT %s (%I) ON TABLE %s TO %s%s', a.privilege_type, t.attname, v_table,
                 CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_catalog.pg_get_userbyid(a.grantee)) END,
                 CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)
          FROM pg_catalog.pg_attribute t, LATERAL pg_catalog.aclexplode(t.attacl) a
          WHERE t.attrelid = v_new AND t.attnum > 0 AND NOT t.attisdropped AND t.attacl IS NOT NULL LOOP
      EXECUTE v_text;
    END LOOP;
    EXECUTE format('COMMENT ON TABLE %s IS %L', v_table, pg_catalog.obj_description(v_new, 'pg_class'));
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
COMMIT;
PERFORM set_config('TimeZone', 'UTC', true);
-- Rows travel through the log as text: written and read back with these settings, whatever the writers' and the
-- session's own (a lossy extra_float_digits, an IntervalStyle or DateStyle that reads back otherwise).
PERFORM set_config('DateStyle', 'ISO, YMD', true);
PERFORM set_config('IntervalStyle', 'postgres', true);
PERFORM set_config('extra_float_digits', '3', true);
PERFORM set_config('bytea_output', 'hex', true);
PERFORM set_config('lc_monetary', 'C', true);
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
PERFORM pg_catalog.pg_advisory_unlock(v_run_lock, pg_catalog.hashtext(v_name));
RAISE NOTICE 'liquibase-partman: partitionExistingTable %: rolled back; % is the plain table again, with every row (% rows of partitions truncated, detached or dropped removed from it, % of partitions attached added), and the partitioned table is dropped',
  'public.statistics_daily_users', v_name, v_removed, v_added;
END;
$partman$