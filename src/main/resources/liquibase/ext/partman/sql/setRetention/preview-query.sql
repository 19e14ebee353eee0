SELECT p.partition_schemaname || '.' || p.partition_tablename AS child,
       i.child_start_time::text AS from_bound, i.child_end_time::text AS to_bound,
       CASE WHEN c.reltuples < 0 THEN 'unknown' ELSE c.reltuples::bigint::text END AS estimated_rows
FROM (SELECT parent_table FROM @PART_CONFIG@ WHERE parent_table = @PARENT@ AND to_regclass(@PARENT_REGCLASS@) IS NOT NULL) cfg
CROSS JOIN LATERAL @SHOW_PARTITIONS@(cfg.parent_table) p
CROSS JOIN LATERAL @SHOW_PARTITION_INFO@(p.partition_schemaname || '.' || p.partition_tablename, NULL, cfg.parent_table) i
JOIN pg_catalog.pg_class c ON c.oid = format('%I.%I', p.partition_schemaname, p.partition_tablename)::regclass
WHERE i.child_end_time < now() - @RETENTION@::interval
ORDER BY i.child_start_time
