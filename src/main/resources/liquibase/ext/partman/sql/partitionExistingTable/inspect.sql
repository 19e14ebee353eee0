-- A run killed after its swap committed (before Liquibase recorded the changeset) converted the table: what it
-- left is its log, unused since the swap.
IF to_regclass(v_old_name) IS NOT NULL AND (SELECT relkind FROM pg_catalog.pg_class WHERE oid = to_regclass(v_name)) = 'p'
   AND EXISTS (SELECT 1 FROM pg_catalog.pg_trigger t WHERE t.tgrelid = to_regclass(v_name) AND t.tgname = 'partman_back' AND @OWN_TRIGGER@)
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
IF to_regclass(format('%I.%I', @SCHEMA@, @COLUMNS_VIEW@)) IS NOT NULL THEN
  RAISE EXCEPTION 'partitionExistingTable: %.% exists, and the conversion needs the name for the view that keeps the columns its way back writes',
    quote_ident(@SCHEMA@), quote_ident(@COLUMNS_VIEW@)
    USING HINT = 'Drop it if an earlier conversion of the table is final, or rename it, then run this again.';
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
@DEPENDENTS@
IF v_problems IS NOT NULL THEN
  RAISE EXCEPTION 'partitionExistingTable: these depend on %, and would keep pointing at the plain table after the conversion: %', v_name, v_problems
    USING HINT = 'Drop them (views, foreign keys referencing the table, functions), run this, then create them again.';
END IF;
IF v_other_text <> '' THEN
  RAISE EXCEPTION 'partitionExistingTable does not carry over %, which % has', v_other_text, v_name
    USING HINT = 'Remove them, run this, then define them again on the partitioned table.';
END IF;
-- Triggers, policies and row-level security are carried over in the swap; what of them cannot be is refused now.
@CARRY_FROM_PLAIN@
-- The run gives its own triggers these names, on the plain table and on the partitioned table, which gets the plain
-- table's triggers in the swap: a trigger of the table's users named so could be neither made nor carried over.
SELECT string_agg(quote_ident(t.tgname), ', ' ORDER BY t.tgname) INTO v_problems FROM pg_catalog.pg_trigger t
  WHERE t.tgrelid = v_table AND @USER_TRIGGER@ AND t.tgname IN ('partman_log', 'partman_log_truncate', 'partman_back', 'partman_back_truncate');
IF v_problems IS NOT NULL THEN
  RAISE EXCEPTION 'partitionExistingTable: % has triggers named %, the names the conversion gives its own triggers', v_name, v_problems
    USING HINT = format('Rename them (ALTER TRIGGER ... ON %s RENAME TO ...), then run this again.', v_name);
END IF;
@REFUSE_REPLICA_IDENTITY_INDEX@
@MAY_ALTER_PLAIN@
-- The run gives the tables it makes the table's owner, and pg_partman gives its template table that owner too: unless the
-- run is a superuser (a member of the owning role runs it), that role needs CREATE in both schemas.
SELECT pg_catalog.pg_get_userbyid(relowner) INTO v_text FROM pg_catalog.pg_class WHERE oid = v_table;
SELECT string_agg(quote_ident(s), ', ') INTO v_problems
  FROM unnest(ARRAY[@SCHEMA@] || CASE WHEN @OWN_TEMPLATE@ THEN ARRAY[@PARTMAN_SCHEMA@] ELSE '{}'::text[] END) s
  WHERE NOT (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) AND NOT pg_catalog.has_schema_privilege(v_text, s, 'CREATE');
IF v_problems IS NOT NULL THEN
  RAISE EXCEPTION 'partitionExistingTable gives the tables it makes (and pg_partman its template table) the owner of %, %, which may not create tables in schema %',
    v_name, quote_ident(v_text), v_problems
    USING HINT = format('GRANT CREATE ON SCHEMA %s TO %I, or run it as %I.', v_problems, v_text, v_text);
END IF;
-- The run makes its tables and functions beside the table.
IF NOT pg_catalog.has_schema_privilege(@SCHEMA@, 'CREATE') THEN
  RAISE EXCEPTION 'partitionExistingTable: % may not create tables and functions in schema %, which the conversion makes beside %', current_user,
    quote_ident(@SCHEMA@), v_name
    USING HINT = format('GRANT CREATE ON SCHEMA %I TO %I, or run it as the owner of the schema.', @SCHEMA@, current_user);
END IF;
-- The copy reads the plain table as this role: if its policies applied to this role (FORCE ROW LEVEL SECURITY, a role
-- neither superuser nor BYPASSRLS), the copy would miss the rows they hide, and the write-back after the swap too.
IF pg_catalog.row_security_active(v_table) THEN
  RAISE EXCEPTION 'partitionExistingTable: the row-level security of % applies to %, so the copy would not see every row', v_name, current_user
    USING HINT = 'Run it as a superuser or a role with BYPASSRLS, or ALTER TABLE ... NO FORCE ROW LEVEL SECURITY while it runs.';
END IF;
@SHAPE@
IF v_key IS NULL THEN
  RAISE EXCEPTION 'partitionExistingTable copies % in the order of its primary key, and it has none (nor a unique index on NOT NULL columns)', v_name
    USING HINT = format('Add a primary key that includes %I, then run this again.', @CONTROL@);
END IF;
-- A logged row, as the plain table's row r; %s is the condition on its entry.
v_entries := format('(SELECT l.partman_entry, l.partman_delta, l.partman_row::%s AS r FROM %s l WHERE %%s OFFSET 0)',
    replace(v_name, '%', '%%'), replace(v_log, '%', '%%'));
