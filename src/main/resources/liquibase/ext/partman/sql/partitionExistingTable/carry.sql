-- What @FROM@ has that the table named v_name must have after the swap: its users' triggers (not PostgreSQL's own, not
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
      WHERE t.tgrelid = @FROM@ AND @USER_TRIGGER@
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
      WHERE p.polrelid = @FROM@
    UNION ALL
    SELECT 3, '', 1, format('ALTER TABLE %s %s ROW LEVEL SECURITY, %s ROW LEVEL SECURITY', v_name,
        CASE WHEN c.relrowsecurity THEN 'ENABLE' ELSE 'DISABLE' END, CASE WHEN c.relforcerowsecurity THEN 'FORCE' ELSE 'NO FORCE' END), NULL
      FROM pg_catalog.pg_class c WHERE c.oid = @FROM@
  ) s;
IF v_problems IS NOT NULL THEN
  RAISE EXCEPTION 'partitionExistingTable cannot carry over exactly what % has: %', v_name, v_problems
    USING HINT = 'Grant what is missing, or drop or change those triggers, run it again, then create them again as a partitioned table allows.';
END IF;
