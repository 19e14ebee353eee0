v_parent := v_parent_name::regclass;
SELECT * INTO v_config FROM "partman"."part_config" WHERE parent_table = 'public.statistics_daily_users';
SELECT general_type INTO v_kind FROM "partman"."check_control_type"('public', 'statistics_daily_users', v_config.control);
IF v_kind IS DISTINCT FROM 'time' AND v_kind IS DISTINCT FROM 'id' OR v_config.epoch <> 'none'
   OR v_config.partition_type NOT IN ('native', 'range')
   OR EXISTS (SELECT 1 FROM "partman"."part_config_sub" WHERE sub_parent = 'public.statistics_daily_users') THEN
  RAISE EXCEPTION 'repartitionDefault moves rows of range partitions on a time or integer column; % is partitioned by % (type %, epoch %, sub-partitioned: %)',
    'public.statistics_daily_users', v_config.control, v_config.partition_type, v_config.epoch, EXISTS (SELECT 1 FROM "partman"."part_config_sub" WHERE sub_parent = 'public.statistics_daily_users')
    USING HINT = 'Use pg_partman''s partition_data_proc for this table.';
END IF;
SELECT c.oid, format('%I.%I', n.nspname, c.relname), c.relname INTO v_default, v_default_name, v_default_relname
  FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE i.inhparent = v_parent AND pg_catalog.pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT';
IF v_default IS NULL THEN
  RAISE NOTICE 'liquibase-partman: repartitionDefault %: there is no DEFAULT partition, nothing to move', 'public.statistics_daily_users';
  RETURN;
END IF;
-- The swap replaces the DEFAULT with a new one and keeps the old one until its rows are proven to be in the table:
-- what belongs to the old table alone would not follow.
IF EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE contype = 'f' AND confrelid IN (v_parent, v_default)) THEN
  RAISE EXCEPTION 'repartitionDefault detaches % from %, which the foreign keys referencing % forbid', v_default_name, v_parent, v_parent
    USING HINT = 'Use pg_partman''s partition_data_proc for this table.';
END IF;
-- This pg_partman gives each partition it makes the replica identity index of the parent by the parent index's own
-- name, which no index of a partition has (fixed in 5.2.3): every partition it would make fails.
IF (SELECT relreplident FROM pg_catalog.pg_class WHERE oid = v_parent) = 'i' THEN
  RAISE EXCEPTION 'repartitionDefault: the replica identity of % is an index, which pg_partman 5.1.0 cannot give to the partitions it makes', v_parent_name
    USING HINT = 'Upgrade pg_partman to 5.2.3 or later (upgradePartman), or give the table REPLICA IDENTITY FULL (or DEFAULT), then run this again.';
END IF;
SELECT string_agg(quote_ident(t.tgname), ', ' ORDER BY t.tgname) INTO v_own FROM pg_catalog.pg_trigger t
  WHERE t.tgrelid = v_default AND NOT t.tgisinternal AND t.tgparentid = 0 AND NOT starts_with(t.tgname, 'partman_repartition_');
IF v_own IS NOT NULL OR EXISTS (SELECT 1 FROM pg_catalog.pg_policy WHERE polrelid = v_default)
   OR EXISTS (SELECT 1 FROM pg_catalog.pg_publication_rel WHERE prrelid = v_default) THEN
  RAISE EXCEPTION 'repartitionDefault replaces % with a new DEFAULT partition, and % has % of its own, which the new one would not have',
    v_default_name, v_default_name, concat_ws(', ', 'triggers ' || v_own,
      CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_policy WHERE polrelid = v_default) THEN 'row security policies' END,
      CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_publication_rel WHERE prrelid = v_default) THEN 'a publication naming it' END)
    USING HINT = format('Define them on %s itself (its partitions share them), or drop them from %s, then run it again.', v_parent_name, v_default_name);
END IF;
SELECT format_type(a.atttypid, a.atttypmod) INTO v_control_type FROM pg_catalog.pg_attribute a
  WHERE a.attrelid = v_parent AND a.attname = v_config.control;
-- v_columns: what a copy writes (generated columns compute themselves). v_row: a row of the table as text, every
-- column in the parent's order, whatever the order in the table it is read from; equal text is the same row.
-- v_fields: the written columns of a row given as text (r, of the staging table's type, which has the parent's columns).
SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) FILTER (WHERE a.attgenerated = ''),
       format('ROW(%s)::text', string_agg('t.' || quote_ident(a.attname), ', ' ORDER BY a.attnum)),
       string_agg('(s.r).' || quote_ident(a.attname), ', ' ORDER BY a.attnum) FILTER (WHERE a.attgenerated = '')
  INTO v_columns, v_row, v_fields
  FROM pg_catalog.pg_attribute a
  WHERE a.attrelid = v_parent AND a.attnum > 0 AND NOT a.attisdropped;
-- A range with more rows than batchSize is copied in slices of this key: the columns of the primary key
-- (or of a unique index on NOT NULL columns), in its order, so that the index finds each slice; without
-- one, the control column and then the whole row as text. Rows with equal keys stay in one slice.
-- v_key_literal is an expression that writes a row's key as SQL, to bound a slice with.
SELECT format('ROW(%s)', string_agg(quote_ident(a.attname), ', ' ORDER BY k.position)),
       string_agg(quote_ident(a.attname), ', ' ORDER BY k.position),
       format('format(%L, %s)', format('ROW(%s)', string_agg('%L::' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY k.position)),
           string_agg(quote_ident(a.attname), ', ' ORDER BY k.position)),
       format('(%s) = (%s)', string_agg('t.' || quote_ident(a.attname), ', ' ORDER BY k.position),
           string_agg('(s.r).' || quote_ident(a.attname), ', ' ORDER BY k.position))
  INTO v_key, v_key_order, v_key_literal, v_narrow
  FROM (SELECT i.indexrelid FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class x ON x.oid = i.indexrelid
          JOIN pg_catalog.pg_am m ON m.oid = x.relam AND m.amname = 'btree'
          WHERE i.indrelid = v_default AND i.indisunique AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL
            AND NOT EXISTS (SELECT 1 FROM unnest(i.indkey::int2[]) c JOIN pg_catalog.pg_attribute ca ON ca.attrelid = v_default AND ca.attnum = c
                            WHERE NOT ca.attnotnull OR ca.attgenerated <> '')
          ORDER BY i.indisprimary DESC, i.indnkeyatts, i.indexrelid LIMIT 1) u
  JOIN pg_catalog.pg_index i ON i.indexrelid = u.indexrelid,
  LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, position)
  JOIN pg_catalog.pg_attribute a ON a.attrelid = v_default AND a.attnum = k.attnum
  WHERE k.position <= i.indnkeyatts
  HAVING count(*) > 0;
IF v_key IS NULL THEN
  v_key := format('ROW(%I, ROW(%s)::text COLLATE "C")', v_config.control, v_columns);
  v_key_order := format('%I, ROW(%s)::text COLLATE "C"', v_config.control, v_columns);
  v_key_literal := format('format(%L, %I, ROW(%s)::text)', 'ROW(%L::' || v_control_type || ', %L COLLATE "C")', v_config.control, v_columns);
  v_narrow := format('t.%1$I IS NOT DISTINCT FROM (s.r).%1$I', v_config.control);
END IF;
SELECT ' TABLESPACE ' || quote_ident(t.spcname) INTO v_tablespace FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_tablespace t ON t.oid = c.reltablespace WHERE c.oid = v_parent;
v_tablespace := coalesce(v_tablespace, '');
-- Each partition is locked with each of its indexes wherever it is made, filled or attached. A copy fills, the swap
-- attaches and a split step moves as many as fit max_locks_per_transaction beside the parent, the DEFAULT, their
-- indexes and the catalogs: PostgreSQL's lock table is shared by every session.
v_indexes := (SELECT count(*) FROM pg_catalog.pg_index WHERE indrelid = v_parent);
v_per_transaction := greatest(1, least(50, (current_setting('max_locks_per_transaction')::int - 24 - 2 * v_indexes) / (2 + v_indexes)));
