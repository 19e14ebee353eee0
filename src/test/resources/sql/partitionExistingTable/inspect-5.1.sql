-- A run killed after its swap committed (before Liquibase recorded the changeset) converted the table: what it
-- left is its log, unused since the swap.
IF to_regclass(v_old_name) IS NOT NULL AND (SELECT relkind FROM pg_catalog.pg_class WHERE oid = to_regclass(v_name)) = 'p'
   AND EXISTS (SELECT 1 FROM pg_catalog.pg_trigger t WHERE t.tgrelid = to_regclass(v_name) AND t.tgname = 'partman_back' AND (t.tgfoid IN (coalesce(pg_catalog.to_regprocedure(format('%I.%I()', 'public', 'statistics_daily_users_partman_log'))::oid, 0), coalesce(pg_catalog.to_regprocedure(format('%I.%I()', 'public', 'statistics_daily_users_partman_back'))::oid, 0))))
   AND EXISTS (SELECT 1 FROM "partman"."part_config" WHERE parent_table = 'public.statistics_daily_users') THEN
  EXECUTE format('DROP FUNCTION IF EXISTS %I.%I()', 'public', 'statistics_daily_users_partman_log');
  EXECUTE format('DROP TABLE IF EXISTS %s', v_log);
  RAISE NOTICE 'liquibase-partman: partitionExistingTable %: converted already, by a run that ended after its swap; % is kept for the rollback',
    'public.statistics_daily_users', v_old_name;
  RETURN;
END IF;
-- Everything the conversion would not carry over, or would break, is refused here, before anything is made.
v_table := to_regclass(v_name);
IF v_table IS NULL THEN
  RAISE EXCEPTION 'partitionExistingTable: table % does not exist', v_name;
END IF;
IF (SELECT relkind FROM pg_catalog.pg_class WHERE oid = v_table) <> 'r' OR (SELECT relispartition FROM pg_catalog.pg_class WHERE oid = v_table)
   OR EXISTS (SELECT 1 FROM pg_catalog.pg_inherits WHERE inhrelid = v_table OR inhparent = v_table) THEN
  RAISE EXCEPTION 'partitionExistingTable converts a plain table; % is partitioned, a partition, or in an inheritance tree', v_name
    USING HINT = 'A partitioned table is registered with createPartmanParent.';
END IF;
IF EXISTS (SELECT 1 FROM "partman"."part_config" WHERE parent_table = 'public.statistics_daily_users') THEN
  RAISE EXCEPTION 'partitionExistingTable: % is already registered with pg_partman', v_name;
END IF;
IF to_regclass(v_old_name) IS NOT NULL THEN
  RAISE EXCEPTION 'partitionExistingTable: % exists, the plain table an earlier conversion of % kept for its rollback', v_old_name, v_name
    USING HINT = 'Drop it if that conversion is final, or rename it, then run this again.';
END IF;
IF to_regclass(format('%I.%I', 'public', 'statistics_daily_users_partman_cols')) IS NOT NULL THEN
  RAISE EXCEPTION 'partitionExistingTable: %.% exists, and the conversion needs the name for the view that keeps the columns its way back writes',
    quote_ident('public'), quote_ident('statistics_daily_users_partman_cols')
    USING HINT = 'Drop it if an earlier conversion of the table is final, or rename it, then run this again.';
END IF;
SELECT format_type(a.atttypid, a.atttypmod), a.attnotnull INTO v_control_type, v_exists FROM pg_catalog.pg_attribute a
  WHERE a.attrelid = v_table AND a.attname = 'stat_date' AND a.attnum > 0 AND NOT a.attisdropped;
IF v_control_type IS NULL THEN
  RAISE EXCEPTION 'partitionExistingTable: % has no column %', v_name, 'stat_date';
END IF;
SELECT general_type INTO v_kind FROM "partman"."check_control_type"('public', 'statistics_daily_users', 'stat_date');
IF v_kind IS DISTINCT FROM 'time' AND v_kind IS DISTINCT FROM 'id' THEN
  RAISE EXCEPTION 'partitionExistingTable partitions by a time or integer column; %.% is %', v_name, 'stat_date', v_control_type;
END IF;
IF NOT v_exists THEN
  RAISE EXCEPTION 'partitionExistingTable: %.% may be NULL, and pg_partman partitions only by a NOT NULL column', v_name, 'stat_date'
    USING HINT = format('Make it NOT NULL first (ALTER TABLE %s ALTER COLUMN %I SET NOT NULL), then run this again.', v_name, 'stat_date');
END IF;
-- PostgreSQL enforces a unique key on a partitioned table only when the key has the partition column.
SELECT string_agg(format('%s (%s)', (SELECT relname FROM pg_catalog.pg_class WHERE oid = i.indexrelid),
    regexp_replace(pg_catalog.pg_get_indexdef(i.indexrelid), '^.* USING ', '')), ', ') INTO v_problems
  FROM pg_catalog.pg_index i
  WHERE i.indrelid = v_table AND (i.indisunique OR i.indisexclusion)
    AND (i.indexprs IS NOT NULL OR i.indisexclusion OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
      WHERE a.attrelid = v_table AND a.attname = 'stat_date' AND a.attnum = ANY (i.indkey::int2[])));
IF v_problems IS NOT NULL THEN
  RAISE EXCEPTION 'partitionExistingTable: the unique keys % of % lack the control column %, and a partitioned table cannot enforce them', v_problems, v_name, 'stat_date'
    USING HINT = format('Add %I to each of them (a new unique index, then drop the old one), or partition by another column.', 'stat_date');
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
  FROM unnest(ARRAY[v_table::oid]) r(relid)
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
    (SELECT 'rules ' || string_agg(quote_ident(rulename), ', ') FROM pg_catalog.pg_rewrite WHERE ev_class = ANY (ARRAY[v_table::oid])),
    (SELECT 'publications ' || string_agg(DISTINCT quote_ident(p.pubname), ', ') FROM pg_catalog.pg_publication_rel r
      JOIN pg_catalog.pg_publication p ON p.oid = r.prpubid WHERE r.prrelid = ANY (ARRAY[v_table::oid])))
  INTO v_other_text;
IF v_problems IS NOT NULL THEN
  RAISE EXCEPTION 'partitionExistingTable: these depend on %, and would keep pointing at the plain table after the conversion: %', v_name, v_problems
    USING HINT = 'Drop them (views, foreign keys referencing the table, functions), run this, then create them again.';
END IF;
IF v_other_text <> '' THEN
  RAISE EXCEPTION 'partitionExistingTable does not carry over %, which % has', v_other_text, v_name
    USING HINT = 'Remove them, run this, then define them again on the partitioned table.';
END IF;
-- Triggers, policies and row-level security are carried over in the swap; what of them cannot be is refused now.
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
-- The run gives its own triggers these names, on the plain table and on the partitioned table, which gets the plain
-- table's triggers in the swap: a trigger of the table's users named so could be neither made nor carried over.
SELECT string_agg(quote_ident(t.tgname), ', ' ORDER BY t.tgname) INTO v_problems FROM pg_catalog.pg_trigger t
  WHERE t.tgrelid = v_table AND NOT t.tgisinternal AND NOT (t.tgfoid IN (coalesce(pg_catalog.to_regprocedure(format('%I.%I()', 'public', 'statistics_daily_users_partman_log'))::oid, 0), coalesce(pg_catalog.to_regprocedure(format('%I.%I()', 'public', 'statistics_daily_users_partman_back'))::oid, 0))) AND t.tgname IN ('partman_log', 'partman_log_truncate', 'partman_back', 'partman_back_truncate');
IF v_problems IS NOT NULL THEN
  RAISE EXCEPTION 'partitionExistingTable: % has triggers named %, the names the conversion gives its own triggers', v_name, v_problems
    USING HINT = format('Rename them (ALTER TRIGGER ... ON %s RENAME TO ...), then run this again.', v_name);
END IF;
-- This pg_partman gives each partition it makes the replica identity index of the parent by the parent index's own
-- name, which no index of a partition has (fixed in 5.2.3): every partition it would make fails.
IF (SELECT relreplident FROM pg_catalog.pg_class WHERE oid = v_table) = 'i' THEN
  RAISE EXCEPTION 'partitionExistingTable: the replica identity of % is an index, which pg_partman 5.1.0 cannot give to the partitions it makes', v_name
    USING HINT = 'Upgrade pg_partman to 5.2.3 or later (upgradePartman), or give the table REPLICA IDENTITY FULL (or DEFAULT), then run this again.';
END IF;
-- The swap renames the tables and makes, drops and changes their triggers and policies: what only their owner may do.
SELECT string_agg(format('%I.%I', n.nspname, c.relname), ', ' ORDER BY c.oid) INTO v_problems
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.oid = ANY (ARRAY[v_table::oid]) AND NOT pg_catalog.pg_has_role(c.relowner, 'USAGE');
IF v_problems IS NOT NULL THEN
  RAISE EXCEPTION 'partitionExistingTable: % may not rename or alter %, which only its owner may', current_user, v_problems
    USING HINT = 'Run it as the owner of the table (or a member of the owning role, or a superuser).';
END IF;
-- The run gives the tables it makes the table's owner, and pg_partman gives its template table that owner too: unless the
-- run is a superuser (a member of the owning role runs it), that role needs CREATE in both schemas.
SELECT pg_catalog.pg_get_userbyid(relowner) INTO v_text FROM pg_catalog.pg_class WHERE oid = v_table;
SELECT string_agg(quote_ident(s), ', ') INTO v_problems
  FROM unnest(ARRAY['public'] || CASE WHEN true THEN ARRAY['partman'] ELSE '{}'::text[] END) s
  WHERE NOT (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) AND NOT pg_catalog.has_schema_privilege(v_text, s, 'CREATE');
IF v_problems IS NOT NULL THEN
  RAISE EXCEPTION 'partitionExistingTable gives the tables it makes (and pg_partman its template table) the owner of %, %, which may not create tables in schema %',
    v_name, quote_ident(v_text), v_problems
    USING HINT = format('GRANT CREATE ON SCHEMA %s TO %I, or run it as %I.', v_problems, v_text, v_text);
END IF;
-- The run makes its tables and functions beside the table.
IF NOT pg_catalog.has_schema_privilege('public', 'CREATE') THEN
  RAISE EXCEPTION 'partitionExistingTable: % may not create tables and functions in schema %, which the conversion makes beside %', current_user,
    quote_ident('public'), v_name
    USING HINT = format('GRANT CREATE ON SCHEMA %I TO %I, or run it as the owner of the schema.', 'public', current_user);
END IF;
-- The copy reads the plain table as this role: if its policies applied to this role (FORCE ROW LEVEL SECURITY, a role
-- neither superuser nor BYPASSRLS), the copy would miss the rows they hide, and the write-back after the swap too.
IF pg_catalog.row_security_active(v_table) THEN
  RAISE EXCEPTION 'partitionExistingTable: the row-level security of % applies to %, so the copy would not see every row', v_name, current_user
    USING HINT = 'Run it as a superuser or a role with BYPASSRLS, or ALTER TABLE ... NO FORCE ROW LEVEL SECURITY while it runs.';
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
  RAISE EXCEPTION 'partitionExistingTable copies % in the order of its primary key, and it has none (nor a unique index on NOT NULL columns)', v_name
    USING HINT = format('Add a primary key that includes %I, then run this again.', 'stat_date');
END IF;
-- A logged row, as the plain table's row r; %s is the condition on its entry.
v_entries := format('(SELECT l.partman_entry, l.partman_delta, l.partman_row::%s AS r FROM %s l WHERE %%s OFFSET 0)',
    replace(v_name, '%', '%%'), replace(v_log, '%', '%%'));
