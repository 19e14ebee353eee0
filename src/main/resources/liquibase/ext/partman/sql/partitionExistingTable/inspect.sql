-- A run killed after its swap committed (before Liquibase recorded the changeset) converted the table: what it
-- left is its log, unused since the swap.
IF to_regclass(v_old_name) IS NOT NULL AND (SELECT relkind FROM pg_catalog.pg_class WHERE oid = to_regclass(v_name)) = 'p'
   AND EXISTS (SELECT 1 FROM pg_catalog.pg_trigger WHERE tgrelid = to_regclass(v_name) AND tgname = 'partman_back')
   AND EXISTS (SELECT 1 FROM @PART_CONFIG@ WHERE parent_table = @PARENT@) THEN
  EXECUTE format('DROP FUNCTION IF EXISTS %I.%I()', @SCHEMA@, @LOG_TABLE@);
  EXECUTE format('DROP TABLE IF EXISTS %s', v_log);
  RAISE NOTICE 'liquibase-partman: partitionExistingTable %: converted already, by a run that ended after its swap; % is kept for the rollback',
    @PARENT@, v_old_name;
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
IF EXISTS (SELECT 1 FROM @PART_CONFIG@ WHERE parent_table = @PARENT@) THEN
  RAISE EXCEPTION 'partitionExistingTable: % is already registered with pg_partman', v_name;
END IF;
IF to_regclass(v_old_name) IS NOT NULL THEN
  RAISE EXCEPTION 'partitionExistingTable: % exists, the plain table an earlier conversion of % kept for its rollback', v_old_name, v_name
    USING HINT = 'Drop it if that conversion is final, or rename it, then run this again.';
END IF;
SELECT format_type(a.atttypid, a.atttypmod), a.attnotnull INTO v_control_type, v_exists FROM pg_catalog.pg_attribute a
  WHERE a.attrelid = v_table AND a.attname = @CONTROL@ AND a.attnum > 0 AND NOT a.attisdropped;
IF v_control_type IS NULL THEN
  RAISE EXCEPTION 'partitionExistingTable: % has no column %', v_name, @CONTROL@;
END IF;
SELECT general_type INTO v_kind FROM @CHECK_CONTROL_TYPE@(@SCHEMA@, @TABLE@, @CONTROL@);
IF v_kind IS DISTINCT FROM 'time' AND v_kind IS DISTINCT FROM 'id' THEN
  RAISE EXCEPTION 'partitionExistingTable partitions by a time or integer column; %.% is %', v_name, @CONTROL@, v_control_type;
END IF;
IF NOT v_exists THEN
  RAISE EXCEPTION 'partitionExistingTable: %.% may be NULL, and pg_partman partitions only by a NOT NULL column', v_name, @CONTROL@
    USING HINT = format('Make it NOT NULL first (ALTER TABLE %s ALTER COLUMN %I SET NOT NULL), then run this again.', v_name, @CONTROL@);
END IF;
-- PostgreSQL enforces a unique key on a partitioned table only when the key has the partition column.
SELECT string_agg(format('%s (%s)', (SELECT relname FROM pg_catalog.pg_class WHERE oid = i.indexrelid),
    regexp_replace(pg_catalog.pg_get_indexdef(i.indexrelid), '^.* USING ', '')), ', ') INTO v_problems
  FROM pg_catalog.pg_index i
  WHERE i.indrelid = v_table AND (i.indisunique OR i.indisexclusion)
    AND (i.indexprs IS NOT NULL OR i.indisexclusion OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
      WHERE a.attrelid = v_table AND a.attname = @CONTROL@ AND a.attnum = ANY (i.indkey::int2[])));
IF v_problems IS NOT NULL THEN
  RAISE EXCEPTION 'partitionExistingTable: the unique keys % of % lack the control column %, and a partitioned table cannot enforce them', v_problems, v_name, @CONTROL@
    USING HINT = format('Add %I to each of them (a new unique index, then drop the old one), or partition by another column.', @CONTROL@);
END IF;
-- What points at the table would keep pointing at the plain table after the swap. The table's own constraints,
-- defaults, indexes and statistics, which the new table gets, point at its columns too, and so do its triggers and
-- policies, which the swap carries over; its rules are refused below.
SELECT string_agg(DISTINCT coalesce((SELECT pg_catalog.pg_describe_object('pg_catalog.pg_class'::regclass, r.ev_class, 0) FROM pg_catalog.pg_rewrite r
                                      WHERE d.classid = 'pg_catalog.pg_rewrite'::regclass AND r.oid = d.objid),
                                     pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid)), ', ') INTO v_problems
  FROM pg_catalog.pg_depend d
  -- A function or column of the table's row type would keep the plain table's type, renamed with it.
  WHERE d.deptype = 'n' AND (d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjid = v_table
                             OR d.refclassid = 'pg_catalog.pg_type'::regclass
                                AND d.refobjid = (SELECT reltype FROM pg_catalog.pg_class WHERE oid = v_table))
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c WHERE d.classid = 'pg_catalog.pg_constraint'::regclass AND c.oid = d.objid
                      AND c.conrelid = v_table AND c.confrelid <> v_table)
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attrdef a WHERE d.classid = 'pg_catalog.pg_attrdef'::regclass AND a.oid = d.objid AND a.adrelid = v_table)
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_index i WHERE d.classid = 'pg_catalog.pg_class'::regclass AND i.indexrelid = d.objid AND i.indrelid = v_table)
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_statistic_ext x WHERE d.classid = 'pg_catalog.pg_statistic_ext'::regclass AND x.oid = d.objid
                      AND x.stxrelid = v_table)
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger t WHERE d.classid = 'pg_catalog.pg_trigger'::regclass AND t.oid = d.objid AND t.tgrelid = v_table)
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_policy p WHERE d.classid = 'pg_catalog.pg_policy'::regclass AND p.oid = d.objid AND p.polrelid = v_table)
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_rewrite r WHERE d.classid = 'pg_catalog.pg_rewrite'::regclass AND r.oid = d.objid AND r.ev_class = v_table);
IF v_problems IS NOT NULL THEN
  RAISE EXCEPTION 'partitionExistingTable: these depend on %, and would keep pointing at the plain table after the conversion: %', v_name, v_problems
    USING HINT = 'Drop them (views, foreign keys referencing the table, functions), run this, then create them again.';
END IF;
SELECT concat_ws(', ',
    (SELECT 'rules ' || string_agg(quote_ident(rulename), ', ') FROM pg_catalog.pg_rewrite WHERE ev_class = v_table),
    (SELECT 'publications ' || string_agg(quote_ident(p.pubname), ', ') FROM pg_catalog.pg_publication_rel r
      JOIN pg_catalog.pg_publication p ON p.oid = r.prpubid WHERE r.prrelid = v_table))
  INTO v_problems;
IF v_problems <> '' THEN
  RAISE EXCEPTION 'partitionExistingTable does not carry over %, which % has', v_problems, v_name
    USING HINT = 'Remove them, run this, then define them again on the partitioned table.';
END IF;
-- Triggers, policies and row-level security are carried over in the swap; what of them cannot be is refused now.
@CARRY_FROM_PLAIN@
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
    USING HINT = format('Add a primary key that includes %I, then run this again.', @CONTROL@);
END IF;
-- A logged row, as the plain table's row r; %s is the condition on its entry.
v_entries := format('(SELECT l.partman_entry, l.partman_delta, l.partman_row::%s AS r FROM %s l WHERE %%s OFFSET 0)',
    replace(v_name, '%', '%%'), replace(v_log, '%', '%%'));
