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
