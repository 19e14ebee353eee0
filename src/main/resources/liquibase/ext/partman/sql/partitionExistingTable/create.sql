-- The partitioned table, made beside the plain one like it: columns, defaults, identity, generated columns, NOT NULL
-- and CHECK constraints, indexes (partitioned, in their tablespaces), primary key and unique constraints, comments,
-- statistics, the tablespace (where its partitions go) and the replica identity; then its comment, owner, grants and
-- foreign keys. Nobody uses it until the swap.
EXECUTE format('CREATE TABLE %s (LIKE %s INCLUDING ALL) PARTITION BY RANGE (%I)%s', v_new_name, v_name, @CONTROL@,
    coalesce((SELECT ' TABLESPACE ' || quote_ident(t.spcname) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_tablespace t ON t.oid = c.reltablespace
              WHERE c.oid = v_table), ''));
v_new := v_new_name::regclass;
-- USING INDEX names the new table's index with the same definition.
SELECT relreplident INTO v_replica FROM pg_catalog.pg_class WHERE oid = v_table;
IF v_replica <> 'd' THEN
  EXECUTE format('ALTER TABLE %s REPLICA IDENTITY %s', v_new_name, CASE v_replica WHEN 'f' THEN 'FULL' WHEN 'n' THEN 'NOTHING'
      ELSE format('USING INDEX %I', (SELECT x.relname FROM pg_catalog.pg_index o, pg_catalog.pg_index n JOIN pg_catalog.pg_class x ON x.oid = n.indexrelid
                                     WHERE o.indrelid = v_table AND o.indisreplident AND n.indrelid = v_new
                                       AND regexp_replace(pg_catalog.pg_get_indexdef(n.indexrelid), '^.* USING ', '')
                                           = regexp_replace(pg_catalog.pg_get_indexdef(o.indexrelid), '^.* USING ', '')
                                     ORDER BY n.indexrelid LIMIT 1)) END);
END IF;
-- Storage parameters: a partitioned table holds none, so each partition gets the plain table's (its TOAST table's as
-- toast.*), and the set's template table gets the table's own, which pg_partman gives the partitions it makes later.
SELECT string_agg(format('%I = %L', split_part(o, '=', 1), substr(o, strpos(o, '=') + 1)), ', ') INTO v_table_options
  FROM pg_catalog.pg_class c, unnest(c.reloptions) o WHERE c.oid = v_table;
SELECT concat_ws(', ', v_table_options, string_agg(format('toast.%I = %L', split_part(o, '=', 1), substr(o, strpos(o, '=') + 1)), ', '))
  INTO v_partition_options
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_class t ON t.oid = c.reltoastrelid, unnest(t.reloptions) o WHERE c.oid = v_table;
v_partition_options := nullif(v_partition_options, '');
EXECUTE format('COMMENT ON TABLE %s IS %L', v_new_name, pg_catalog.obj_description(v_table, 'pg_class'));
IF (SELECT relowner FROM pg_catalog.pg_class WHERE oid = v_table) <> (SELECT relowner FROM pg_catalog.pg_class WHERE oid = v_new) THEN
  EXECUTE format('ALTER TABLE %s OWNER TO %I', v_new_name, (SELECT pg_catalog.pg_get_userbyid(relowner) FROM pg_catalog.pg_class WHERE oid = v_table));
END IF;
@GRANTS_FROM_PLAIN@
-- Adding a foreign key locks the table it references a moment: at most lockTimeout at a time.
FOR v_text, v_other_text, v_oid IN SELECT conname, pg_catalog.pg_get_constraintdef(oid), confrelid FROM pg_catalog.pg_constraint
    WHERE conrelid = v_table AND contype = 'f' ORDER BY conname LOOP
  @ADD_FOREIGN_KEY@
END LOOP;
-- Registered with pg_partman from the oldest row (or startPartition, if older), maintenance off until the swap.
EXECUTE format('SELECT min(%1$I)::text, max(%1$I)::text FROM ONLY %2$s', @CONTROL@, v_name) INTO v_min, v_cut;
IF v_min IS NOT NULL THEN
  EXECUTE format('SELECT least(%L::%s, %L::%s)::text', coalesce(v_start, v_min), v_control_type, v_min, v_control_type) INTO v_start;
END IF;
-- create_parent makes every partition from its start to premake ahead of now in one transaction, which would lock
-- years of partitions at once: it starts at the oldest row only when that is not in the past, and the older partitions
-- are made one by one below, committed a few at a time.
IF v_kind = 'time' AND v_start IS NOT NULL THEN
  EXECUTE format('SELECT greatest(%1$L::%2$s, now()::%2$s)::text', v_start, v_control_type) INTO v_parent_start;
ELSE
  v_parent_start := v_start;
END IF;
PERFORM @CREATE_PARENT@(@ARGUMENTS@);
UPDATE @PART_CONFIG@ SET automatic_maintenance = 'off' WHERE parent_table = @NEW_PARENT@
  RETURNING partition_interval, template_table INTO v_interval, v_template;
-- The rollback and dropPartmanOldTable lock every partition and its copy of the write-back trigger in one transaction:
-- refused now, before anything is copied, when those two locks a partition would fill the lock table the server
-- guarantees (max_locks_per_transaction x max_connections, shared by every session).
IF v_cut IS NOT NULL THEN
  IF v_kind = 'time' THEN
    EXECUTE format('SELECT ceil(extract(epoch FROM greatest(%1$L::%2$s, now()::%2$s)::timestamptz - %3$L::%2$s::timestamptz) / extract(epoch FROM %4$L::interval))',
        v_cut, v_control_type, v_start, v_interval) INTO v_partitions;
  ELSE
    v_partitions := ceil((v_cut::numeric - v_start::numeric) / v_interval::numeric);
  END IF;
  IF v_partitions > current_setting('max_locks_per_transaction')::int * current_setting('max_connections')::int / 2 THEN
    RAISE EXCEPTION 'partitionExistingTable: % has rows from % to %, about % partitions of %, and its rollback would lock two objects for each in one transaction: more than the server''s lock table holds (max_locks_per_transaction % x max_connections %)',
      v_name, v_start, v_cut, v_partitions, v_interval, current_setting('max_locks_per_transaction'), current_setting('max_connections')
      USING HINT = 'Delete or correct the rows far in the future, choose a longer interval, or raise max_locks_per_transaction (which needs a restart).';
  END IF;
END IF;
IF @OWN_TEMPLATE@ AND v_template IS NOT NULL AND v_table_options IS NOT NULL THEN
  EXECUTE format('ALTER TABLE %I.%I SET (%s)', split_part(v_template, '.', 1), split_part(v_template, '.', 2), v_table_options);
END IF;
@COMMIT@
-- Partitions from the oldest row to the newest, one interval after the other, as maintenance would have made them:
-- down from the oldest create_parent made, then up from the newest. v_low is the bound the last one was made from.
v_low := NULL;
LOOP
  SELECT trim(BOTH '''' FROM (regexp_match(pg_catalog.pg_get_expr(c.relpartbound, c.oid), '^FOR VALUES FROM \((.*)\) TO'))[1]) INTO v_high
    FROM @SHOW_PARTITIONS@(@NEW_PARENT@, 'ASC') p
    JOIN pg_catalog.pg_namespace n ON n.nspname = p.partition_schemaname
    JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = p.partition_tablename
    LIMIT 1;
  EXIT WHEN v_start IS NULL OR v_high IS NULL;
  @NO_PROGRESS@
  EXECUTE format('SELECT %L::%s > %L::%s', v_high, v_control_type, v_start, v_control_type) INTO v_exists;
  EXIT WHEN NOT v_exists;
  IF v_kind = 'time' THEN
    PERFORM @CREATE_PARTITION_TIME@(p_parent_table := @NEW_PARENT@, p_partition_times := ARRAY[v_high::timestamptz - v_interval::interval]@SKIP_ANALYZE@);
  ELSE
    PERFORM @CREATE_PARTITION_ID@(p_parent_table := @NEW_PARENT@, p_partition_ids := ARRAY[v_high::bigint - v_interval::bigint]@SKIP_ANALYZE@);
  END IF;
  @COMMIT_WHEN_MANY_LOCKS@
END LOOP;
v_low := NULL;
LOOP
  SELECT trim(BOTH '''' FROM (regexp_match(pg_catalog.pg_get_expr(c.relpartbound, c.oid), 'TO \((.*)\)$'))[1]) INTO v_high
    FROM @SHOW_PARTITIONS@(@NEW_PARENT@, 'DESC') p
    JOIN pg_catalog.pg_namespace n ON n.nspname = p.partition_schemaname
    JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = p.partition_tablename
    LIMIT 1;
  EXIT WHEN v_cut IS NULL OR v_high IS NULL;
  @NO_PROGRESS@
  EXECUTE format('SELECT %L::%s <= %L::%s', v_high, v_control_type, v_cut, v_control_type) INTO v_exists;
  EXIT WHEN NOT v_exists;
  IF v_kind = 'time' THEN
    PERFORM @CREATE_PARTITION_TIME@(p_parent_table := @NEW_PARENT@, p_partition_times := ARRAY[v_high::timestamptz]@SKIP_ANALYZE@);
  ELSE
    PERFORM @CREATE_PARTITION_ID@(p_parent_table := @NEW_PARENT@, p_partition_ids := ARRAY[v_high::bigint]@SKIP_ANALYZE@);
  END IF;
  @COMMIT_WHEN_MANY_LOCKS@
END LOOP;
-- The partitions take the names pg_partman gives the final table's (the parent's name is all that changes in the swap),
-- their indexes the names PostgreSQL gives those of a table so named, and each the plain table's replica identity and
-- storage parameters. pg_partman names a partition <parent>_p<suffix> (the parent's name shortened to fit), so the
-- suffix follows the last '_p'.
FOR v_partition, v_text, v_exists IN SELECT format('%I.%I', n.nspname, c.relname), reverse(split_part(reverse(c.relname), 'p_', 1)),
    pg_catalog.pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT'
    FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE i.inhparent = v_new LOOP
  IF v_exists THEN
    v_other_text := @CHECK_NAME_LENGTH@(@TABLE@, '_default', false);
  ELSE
    v_other_text := @CHECK_NAME_LENGTH@(@TABLE@, v_text, true);
  END IF;
  EXECUTE format('ALTER TABLE %s RENAME TO %I', v_partition, v_other_text);
  v_partition := format('%I.%I', @SCHEMA@, v_other_text);
  @PARTITION_INDEX_NAMES@
  @PARTITION_REPLICA_IDENTITY@
  IF v_partition_options IS NOT NULL THEN
    EXECUTE format('ALTER TABLE %s SET (%s)', v_partition, v_partition_options);
  END IF;
  @COMMIT_WHEN_MANY_LOCKS@
END LOOP;
v_cut := NULL;
RAISE NOTICE 'liquibase-partman: partitionExistingTable %: made % beside it, registered with pg_partman from %', @PARENT@, v_new_name, coalesce(v_start, 'pg_partman''s default start');
@COMMIT@
