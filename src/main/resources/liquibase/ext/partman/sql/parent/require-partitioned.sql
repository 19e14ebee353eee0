IF to_regclass(@REGCLASS@) IS NULL THEN
  RAISE EXCEPTION 'table @NAME@ does not exist' USING HINT = 'Create it with PARTITION BY RANGE (or LIST) before this change.';
END IF;
IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_partitioned_table WHERE partrelid = to_regclass(@REGCLASS@)) THEN
  RAISE EXCEPTION 'table @NAME@ is not partitioned' USING HINT = 'pg_partman manages tables declared with PARTITION BY RANGE (or LIST); recreate the table partitioned and move its rows.';
END IF;
