SELECT p.control, quote_ident(n.nspname) || '.' || quote_ident(c.relname)
FROM @PART_CONFIG@ p
JOIN pg_catalog.pg_inherits i ON i.inhparent = to_regclass(quote_ident(split_part(p.parent_table, '.', 1)) || '.' || quote_ident(split_part(p.parent_table, '.', 2)))
JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid AND pg_catalog.pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT'
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE ?::text IS NULL OR p.parent_table = ?
ORDER BY p.parent_table
