-- The partitioned table, made beside the plain one like it: columns, defaults, identity, generated columns, NOT NULL
-- and CHECK constraints, indexes (partitioned, in their tablespaces), primary key and unique constraints, comments,
-- statistics, the tablespace (where its partitions go) and the replica identity; then its comment, owner, grants and
-- foreign keys. Nobody uses it until the swap.
EXECUTE format('CREATE TABLE %s (LIKE %s INCLUDING ALL) PARTITION BY RANGE (%I)%s', v_new_name, v_name, 'stat_date',
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
-- v_new_name gets exactly the grants of v_table (TABLE; not its owner's own, on it and on its columns, with their grant
-- options): what default privileges or earlier grants gave v_new_name is revoked first.
FOR v_text IN SELECT DISTINCT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_catalog.pg_get_userbyid(a.grantee)) END
    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_attribute t ON t.attrelid = c.oid AND t.attnum > 0,
         LATERAL pg_catalog.aclexplode(CASE WHEN t.attnum = 1 THEN c.relacl END || t.attacl) a
    WHERE c.oid = (v_new_name)::regclass AND a.grantee <> c.relowner LOOP
  EXECUTE format('REVOKE ALL ON TABLE %s FROM %s CASCADE', v_new_name, v_text);
END LOOP;
FOR v_text IN
    SELECT format('GRANT %s ON TABLE %s TO %s%s', a.privilege_type, v_new_name,
             CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_catalog.pg_get_userbyid(a.grantee)) END,
             CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)
      FROM pg_catalog.pg_class c, LATERAL pg_catalog.aclexplode(c.relacl) a WHERE c.oid = v_table AND a.grantee <> c.relowner
    UNION ALL
    SELECT format('GRANT %s (%I) ON TABLE %s TO %s%s', a.privilege_type, t.attname, v_new_name,
             CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_catalog.pg_get_userbyid(a.grantee)) END,
             CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)
      FROM pg_catalog.pg_attribute t, LATERAL pg_catalog.aclexplode(t.attacl) a
      WHERE t.attrelid = v_table AND t.attnum > 0 AND NOT t.attisdropped AND t.attacl IS NOT NULL LOOP
  EXECUTE v_text;
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
-- create_parent makes every partition from its start to premake ahead of now in one transaction, which would lock
-- years of partitions at once: it starts at the oldest row only when that is not in the past, and the older partitions
-- are made one by one below, committed a few at a time.
IF v_kind = 'time' AND v_start IS NOT NULL THEN
  EXECUTE format('SELECT greatest(%1$L::%2$s, now()::%2$s)::text', v_start, v_control_type) INTO v_parent_start;
ELSE
  v_parent_start := v_start;
END IF;
PERFORM "partman"."create_partition"(p_parent_table := 'public.statistics_daily_users_partman_new', p_control := 'stat_date', p_type := 'range', p_interval := '1 month', p_premake := 3, p_start_partition := v_parent_start);
UPDATE "partman"."part_config" SET automatic_maintenance = 'off' WHERE parent_table = 'public.statistics_daily_users_partman_new'
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
IF true AND v_template IS NOT NULL AND v_table_options IS NOT NULL THEN
  EXECUTE format('ALTER TABLE %I.%I SET (%s)', split_part(v_template, '.', 1), split_part(v_template, '.', 2), v_table_options);
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
-- Partitions from the oldest row to the newest, one interval after the other, as maintenance would have made them:
-- down from the oldest create_parent made, then up from the newest. v_low is the bound the last one was made from.
v_low := NULL;
LOOP
  SELECT trim(BOTH '''' FROM (regexp_match(pg_catalog.pg_get_expr(c.relpartbound, c.oid), '^FOR VALUES FROM \((.*)\) TO'))[1]) INTO v_high
    FROM "partman"."show_partitions"('public.statistics_daily_users_partman_new', 'ASC') p
    JOIN pg_catalog.pg_namespace n ON n.nspname = p.partition_schemaname
    JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = p.partition_tablename
    LIMIT 1;
  EXIT WHEN v_start IS NULL OR v_high IS NULL;
  -- pg_partman makes no partition when the name it gives one is taken (on 4.7, which shortens names by characters,
  -- multibyte table names give names PostgreSQL then cuts alike): stop rather than ask again for ever.
  IF v_high IS NOT DISTINCT FROM v_low THEN
    RAISE EXCEPTION 'partitionExistingTable: pg_partman made no partition of % next to % (the name it gives it is probably taken, or cut to one already given)',
      'public.statistics_daily_users_partman_new', v_high
      USING HINT = 'A table name with multibyte characters near the length limit gives pg_partman 4.7 partition names cut alike: use a shorter name. Nothing of the table was changed; the next run removes what this one made.';
  END IF;
  v_low := v_high;
  EXECUTE format('SELECT %L::%s > %L::%s', v_high, v_control_type, v_start, v_control_type) INTO v_exists;
  EXIT WHEN NOT v_exists;
  IF v_kind = 'time' THEN
    PERFORM "partman"."create_partition_time"(p_parent_table := 'public.statistics_daily_users_partman_new', p_partition_times := ARRAY[v_high::timestamptz - v_interval::interval]);
  ELSE
    PERFORM "partman"."create_partition_id"(p_parent_table := 'public.statistics_daily_users_partman_new', p_partition_ids := ARRAY[v_high::bigint - v_interval::bigint]);
  END IF;
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
v_low := NULL;
LOOP
  SELECT trim(BOTH '''' FROM (regexp_match(pg_catalog.pg_get_expr(c.relpartbound, c.oid), 'TO \((.*)\)$'))[1]) INTO v_high
    FROM "partman"."show_partitions"('public.statistics_daily_users_partman_new', 'DESC') p
    JOIN pg_catalog.pg_namespace n ON n.nspname = p.partition_schemaname
    JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = p.partition_tablename
    LIMIT 1;
  EXIT WHEN v_cut IS NULL OR v_high IS NULL;
  -- pg_partman makes no partition when the name it gives one is taken (on 4.7, which shortens names by characters,
  -- multibyte table names give names PostgreSQL then cuts alike): stop rather than ask again for ever.
  IF v_high IS NOT DISTINCT FROM v_low THEN
    RAISE EXCEPTION 'partitionExistingTable: pg_partman made no partition of % next to % (the name it gives it is probably taken, or cut to one already given)',
      'public.statistics_daily_users_partman_new', v_high
      USING HINT = 'A table name with multibyte characters near the length limit gives pg_partman 4.7 partition names cut alike: use a shorter name. Nothing of the table was changed; the next run removes what this one made.';
  END IF;
  v_low := v_high;
  EXECUTE format('SELECT %L::%s <= %L::%s', v_high, v_control_type, v_cut, v_control_type) INTO v_exists;
  EXIT WHEN NOT v_exists;
  IF v_kind = 'time' THEN
    PERFORM "partman"."create_partition_time"(p_parent_table := 'public.statistics_daily_users_partman_new', p_partition_times := ARRAY[v_high::timestamptz]);
  ELSE
    PERFORM "partman"."create_partition_id"(p_parent_table := 'public.statistics_daily_users_partman_new', p_partition_ids := ARRAY[v_high::bigint]);
  END IF;
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
-- The partitions take the names pg_partman gives the final table's (the parent's name is all that changes in the swap),
-- their indexes the names PostgreSQL gives those of a table so named, and each the plain table's replica identity and
-- storage parameters. pg_partman names a partition <parent>_p<suffix> (the parent's name shortened to fit), so the
-- suffix follows the last '_p'.
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
  v_partition := format('%I.%I', 'public', v_other_text);
  -- Its indexes take the names PostgreSQL gives the indexes of a table of that name (ChooseIndexName): <table>_pkey, or
  -- <table>_<columns>_key for a unique constraint, _excl for an exclusion constraint, _idx for the others, <columns> being
  -- the index's column names joined by '_' (the first of them whose joined length reaches 64 bytes the last). Both parts
  -- are shortened alike to fit 63 bytes (makeObjectName), and a name in use gets a number after its label. A name
  -- shortened before it reached the parent's name may be right already.
  FOR v_oid, v_index_label, v_index_columns, v_index_constraint IN
      SELECT i.indexrelid, CASE WHEN i.indisprimary THEN 'pkey' WHEN k.contype = 'x' THEN 'excl' WHEN k.contype = 'u' THEN 'key' ELSE 'idx' END,
             CASE WHEN NOT i.indisprimary THEN (SELECT string_agg(a.attname, '_' ORDER BY a.attnum)
                FROM (SELECT attname, attnum, sum(octet_length(attname) + 1) OVER (ORDER BY attnum ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before
                        FROM pg_catalog.pg_attribute WHERE attrelid = i.indexrelid) a
                WHERE a.before IS NULL OR a.before - 1 < 64) END,
             k.contype IS NOT NULL
        FROM pg_catalog.pg_index i
        LEFT JOIN pg_catalog.pg_constraint k ON k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x')
        WHERE i.indrelid = v_partition::regclass ORDER BY i.indexrelid LOOP
    SELECT c.name INTO v_index_name
      FROM generate_series(0, 999) pass,
      LATERAL (SELECT v_index_label || CASE WHEN pass > 0 THEN pass::text ELSE '' END AS label) l,
      LATERAL (SELECT 63 - octet_length(l.label) - 1 - CASE WHEN v_index_columns IS NULL THEN 0 ELSE 1 END AS room,
                      octet_length(v_other_text) AS table_bytes, coalesce(octet_length(v_index_columns), 0) AS column_bytes) s,
      LATERAL (SELECT least(s.table_bytes, greatest(s.room - s.column_bytes, ceil(s.room / 2.0)::int)) AS table_bytes) t,
      LATERAL (SELECT string_agg(left(p.part, (SELECT max(n) FROM generate_series(0, length(p.part)) n WHERE octet_length(left(p.part, n)) <= p.bytes)),
                                 '_' ORDER BY p.position) AS name
                 FROM (VALUES (1, v_other_text, t.table_bytes), (2, v_index_columns, least(s.column_bytes, s.room - t.table_bytes)),
                              (3, l.label, 63)) p(position, part, bytes)) c
      WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class x WHERE x.relnamespace = (SELECT relnamespace FROM pg_catalog.pg_class WHERE oid = v_new) AND x.relname = c.name AND x.oid <> v_oid)
        AND NOT (v_index_constraint AND EXISTS (SELECT 1 FROM pg_catalog.pg_constraint x WHERE x.connamespace = (SELECT relnamespace FROM pg_catalog.pg_class WHERE oid = v_new) AND x.conname = c.name
                                        AND x.conindid <> v_oid))
      ORDER BY pass LIMIT 1;
    IF v_index_name <> (SELECT relname FROM pg_catalog.pg_class WHERE oid = v_oid) THEN
      EXECUTE format('ALTER INDEX %s RENAME TO %I', v_oid::regclass, v_index_name);
    END IF;
  END LOOP;
  IF v_partition_options IS NOT NULL THEN
    EXECUTE format('ALTER TABLE %s SET (%s)', v_partition, v_partition_options);
  END IF;
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
