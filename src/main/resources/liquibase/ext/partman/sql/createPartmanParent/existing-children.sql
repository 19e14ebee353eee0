-- Partitions the table already has (a registration rolled back, children made by hand or by another
-- tool, maybe named otherwise): create_parent starts at the newest of them, and so makes none beside
-- them. It then makes that newest range again and a DEFAULT of its own, which would fail beside the
-- table's: those two wait aside, detached under other names, until create_parent is done
-- (put-back-set-aside.sql).
SELECT array_agg(k.oid) INTO v_children_before
FROM pg_catalog.pg_inherits i
JOIN pg_catalog.pg_class k ON k.oid = i.inhrelid
WHERE i.inhparent = @REGCLASS@::regclass AND pg_catalog.pg_get_expr(k.relpartbound, k.oid) <> 'DEFAULT';
SELECT k.oid, k.relname, pg_catalog.pg_get_expr(k.relpartbound, k.oid), b.bound[1]
INTO v_newest, v_newest_name, v_newest_bound, v_resume_from
FROM unnest(v_children_before) c(oid)
JOIN pg_catalog.pg_class k ON k.oid = c.oid
CROSS JOIN LATERAL regexp_match(pg_catalog.pg_get_expr(k.relpartbound, k.oid),
    '^FOR VALUES FROM \(''?(-?[0-9][^'',)]*)''?\) TO \(''?(-?[0-9][^'',)]*)''?\)$') b(bound)
WHERE b.bound IS NOT NULL
ORDER BY CASE WHEN b.bound[1] ~ '^-?[0-9]+(\.[0-9]+)?$' THEN b.bound[1]::numeric END DESC NULLS LAST,
         CASE WHEN b.bound[1] !~ '^-?[0-9]+(\.[0-9]+)?$' THEN b.bound[1]::timestamptz END DESC NULLS LAST
LIMIT 1;
SELECT k.oid, k.relname INTO v_default, v_default_name
FROM pg_catalog.pg_inherits i
JOIN pg_catalog.pg_class k ON k.oid = i.inhrelid
WHERE i.inhparent = @REGCLASS@::regclass AND pg_catalog.pg_get_expr(k.relpartbound, k.oid) = 'DEFAULT';
FOR v_child IN SELECT unnest(ARRAY[v_newest, v_default]) AS oid LOOP
  CONTINUE WHEN v_newest IS NULL OR v_child.oid IS NULL;
  EXECUTE format('ALTER TABLE %s DETACH PARTITION %s', @REGCLASS@::regclass, v_child.oid::regclass);
  EXECUTE format('ALTER TABLE %s RENAME TO %I', v_child.oid::regclass, 'liquibase_partman_aside_' || v_child.oid);
END LOOP;
