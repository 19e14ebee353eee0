-- The partitioned table, made beside the plain one like it: columns, defaults, identity, generated columns, NOT NULL
-- and CHECK constraints, indexes (partitioned), primary key and unique constraints, comments, statistics; then its
-- comment, owner, grants and foreign keys. Nobody uses it until the swap.
EXECUTE format('CREATE TABLE %s (LIKE %s INCLUDING ALL) PARTITION BY RANGE (%I)', v_new_name, v_name, 'stat_date');
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
  -- lock_timeout stays at lockTimeout until the transaction ends: whatever else it waits for while it holds the
  -- lock fails after lockTimeout rather than keep the application waiting behind it.
  v_lock_started := clock_timestamp();
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', v_lock_timeout, true);
      EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', v_new_name, v_text, v_other_text);
      EXIT;
    EXCEPTION WHEN lock_not_available THEN
      IF clock_timestamp() - v_lock_started > interval '1 minute' THEN
        RAISE EXCEPTION 'partitionExistingTable could not lock % within a minute (lockTimeout %); sessions holding it: %',
          v_oid::regclass, v_lock_timeout, (SELECT string_agg(DISTINCT l.pid::text, ', ') FROM pg_catalog.pg_locks l
            WHERE l.relation = v_table AND l.granted AND l.pid <> pg_backend_pid())
          USING HINT = 'Run it again when those sessions are done, or raise lockTimeout.';
      END IF;
      PERFORM pg_sleep(0.01 + random() * 0.04);
    END;
  END LOOP;
END LOOP;
-- Registered with pg_partman from the oldest row (or startPartition, if older), maintenance off until the swap.
EXECUTE format('SELECT min(%1$I)::text, max(%1$I)::text FROM ONLY %2$s', 'stat_date', v_name) INTO v_min, v_cut;
IF v_min IS NOT NULL THEN
  EXECUTE format('SELECT least(%L::%s, %L::%s)::text', coalesce(v_start, v_min), v_control_type, v_min, v_control_type) INTO v_start;
END IF;
PERFORM "partman"."create_parent"(p_parent_table := 'public.statistics_daily_users_partman_new', p_control := 'stat_date', p_type := 'range', p_interval := '1 month', p_premake := 3, p_start_partition := v_start);
UPDATE "partman"."part_config" SET automatic_maintenance = 'off' WHERE parent_table = 'public.statistics_daily_users_partman_new';
-- Partitions up to the newest row, one interval after the other, as maintenance would have made them.
LOOP
  SELECT trim(BOTH '''' FROM (regexp_match(pg_catalog.pg_get_expr(c.relpartbound, c.oid), 'TO \((.*)\)$'))[1]) INTO v_high
    FROM "partman"."show_partitions"('public.statistics_daily_users_partman_new', 'DESC') p
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
    PERFORM "partman"."create_partition_time"(p_parent_table := 'public.statistics_daily_users_partman_new', p_partition_times := ARRAY[v_high::timestamptz]);
  ELSE
    PERFORM "partman"."create_partition_id"(p_parent_table := 'public.statistics_daily_users_partman_new', p_partition_ids := ARRAY[v_high::bigint]);
  END IF;
END LOOP;
-- The partitions take the names pg_partman gives the final table's: the parent's name is all that changes in the swap.
-- pg_partman names a partition <parent>_p<suffix> (the parent's name shortened to fit), so the suffix follows the last '_p'.
FOR v_partition, v_text, v_exists IN SELECT format('%I.%I', n.nspname, c.relname), reverse(split_part(reverse(c.relname), 'p_', 1)),
    pg_catalog.pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT'
    FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE i.inhparent = v_new LOOP
  IF v_exists THEN
    v_other_text := "partman"."check_name_length"('statistics_daily_users', '_default', false);
  ELSE
    v_other_text := "partman"."check_name_length"('statistics_daily_users', v_text, true);
  END IF;
  EXECUTE format('ALTER TABLE %s RENAME TO %I', v_partition, v_other_text);
END LOOP;
v_cut := NULL;
RAISE NOTICE 'liquibase-partman: partitionExistingTable %: made % beside it, registered with pg_partman from %', 'public.statistics_daily_users', v_new_name, coalesce(v_start, 'pg_partman''s default start');
COMMIT;
PERFORM set_config('TimeZone', 'UTC', true);
-- Rows travel through the log as text: written and read back with these settings, whatever the writers' and the
-- session's own (a lossy extra_float_digits, an IntervalStyle or DateStyle that reads back otherwise).
PERFORM set_config('DateStyle', 'ISO, YMD', true);
PERFORM set_config('IntervalStyle', 'postgres', true);
PERFORM set_config('extra_float_digits', '3', true);
PERFORM set_config('bytea_output', 'hex', true);
PERFORM set_config('lc_monetary', 'C', true);
