-- Sets with partitions not named as their datetime_string says, and those partitions.
SELECT c.parent_table, string_agg(k.relname, ', ' ORDER BY k.relname) AS partitions
FROM @PART_CONFIG@ c
JOIN pg_catalog.pg_inherits i
  ON i.inhparent = to_regclass(quote_ident(split_part(c.parent_table, '.', 1)) || '.' || quote_ident(split_part(c.parent_table, '.', 2)))
JOIN pg_catalog.pg_class k ON k.oid = i.inhrelid
CROSS JOIN LATERAL regexp_match(pg_catalog.pg_get_expr(k.relpartbound, k.oid), '^FOR VALUES FROM \(''([0-9][^'']*)''\) TO') b(bound)
WHERE c.datetime_string IS NOT NULL AND b.bound IS NOT NULL
  AND k.relname::text <> @CHECK_NAME_LENGTH@(split_part(c.parent_table, '.', 2), to_char(b.bound[1]::timestamptz, c.datetime_string), true)
GROUP BY c.parent_table
