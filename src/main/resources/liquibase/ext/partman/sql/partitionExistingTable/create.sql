-- The partitioned table, made beside the plain one like it: columns, defaults, identity, generated columns, NOT NULL
-- and CHECK constraints, indexes (partitioned), primary key and unique constraints, comments, statistics; then its
-- comment, owner, grants and foreign keys. Nobody uses it until the swap.
EXECUTE format('CREATE TABLE %s (LIKE %s INCLUDING ALL) PARTITION BY RANGE (%I)', v_new_name, v_name, @CONTROL@);
v_new := v_new_name::regclass;
EXECUTE format('COMMENT ON TABLE %s IS %L', v_new_name, pg_catalog.obj_description(v_table, 'pg_class'));
IF (SELECT relowner FROM pg_catalog.pg_class WHERE oid = v_table) <> (SELECT relowner FROM pg_catalog.pg_class WHERE oid = v_new) THEN
  EXECUTE format('ALTER TABLE %s OWNER TO %I', v_new_name, (SELECT pg_catalog.pg_get_userbyid(relowner) FROM pg_catalog.pg_class WHERE oid = v_table));
END IF;
FOR v_text, v_other_text, v_exists, v_partition IN
    SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_catalog.pg_get_userbyid(a.grantee)) END, a.privilege_type, a.is_grantable, ''
      FROM pg_catalog.pg_class c, LATERAL pg_catalog.aclexplode(c.relacl) a WHERE c.oid = v_table AND a.grantee <> c.relowner
    UNION ALL
    SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_catalog.pg_get_userbyid(a.grantee)) END, a.privilege_type, a.is_grantable,
           format(' (%I)', t.attname)
      FROM pg_catalog.pg_attribute t, LATERAL pg_catalog.aclexplode(t.attacl) a
      WHERE t.attrelid = v_table AND t.attnum > 0 AND NOT t.attisdropped AND t.attacl IS NOT NULL LOOP
  EXECUTE format('GRANT %s%s ON %s TO %s%s', v_other_text, v_partition, v_new_name, v_text, CASE WHEN v_exists THEN ' WITH GRANT OPTION' ELSE '' END);
END LOOP;
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
PERFORM @CREATE_PARENT@(@ARGUMENTS@);
UPDATE @PART_CONFIG@ SET automatic_maintenance = 'off' WHERE parent_table = @NEW_PARENT@;
-- Partitions up to the newest row, one interval after the other, as maintenance would have made them.
LOOP
  SELECT trim(BOTH '''' FROM (regexp_match(pg_catalog.pg_get_expr(c.relpartbound, c.oid), 'TO \((.*)\)$'))[1]) INTO v_high
    FROM @SHOW_PARTITIONS@(@NEW_PARENT@, 'DESC') p
    JOIN pg_catalog.pg_namespace n ON n.nspname = p.partition_schemaname
    JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = p.partition_tablename
    LIMIT 1;
  EXIT WHEN v_cut IS NULL OR v_high IS NULL;
  EXECUTE format('SELECT %L::%s <= %L::%s', v_high, v_control_type, v_cut, v_control_type) INTO v_exists;
  EXIT WHEN NOT v_exists;
  v_partitions := v_partitions + 1;
  IF v_partitions > 1000 THEN
    RAISE EXCEPTION 'partitionExistingTable: % has rows up to %, more than 1000 partitions after %', v_name, v_cut, v_high
      USING HINT = 'Delete or correct the rows far in the future, or choose a longer interval.';
  END IF;
  IF v_kind = 'time' THEN
    PERFORM @CREATE_PARTITION_TIME@(p_parent_table := @NEW_PARENT@, p_partition_times := ARRAY[v_high::timestamptz]);
  ELSE
    PERFORM @CREATE_PARTITION_ID@(p_parent_table := @NEW_PARENT@, p_partition_ids := ARRAY[v_high::bigint]);
  END IF;
END LOOP;
-- The partitions take the names pg_partman gives the final table's: the parent's name is all that changes in the swap.
-- pg_partman names a partition <parent>_p<suffix> (the parent's name shortened to fit), so the suffix follows the last '_p'.
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
END LOOP;
v_cut := NULL;
RAISE NOTICE 'liquibase-partman: partitionExistingTable %: made % beside it, registered with pg_partman from %', @PARENT@, v_new_name, coalesce(v_start, 'pg_partman''s default start');
@COMMIT@
