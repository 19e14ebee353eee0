SELECT format('%s (depends on %s)', pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid),
              pg_catalog.pg_describe_object(d.refclassid, d.refobjid, d.refobjsubid)) AS dependent
FROM (
  -- pg_partman's objects: its members, and what belongs to them (a view's rule, a table's row type,
  -- its constraints, indexes and defaults).
  WITH RECURSIVE partman_objects(classid, objid) AS (
    SELECT d.classid, d.objid
    FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid
    WHERE d.refclassid = 'pg_catalog.pg_extension'::regclass AND d.deptype = 'e' AND e.extname = 'pg_partman'
    UNION
    SELECT d.classid, d.objid
    FROM pg_catalog.pg_depend d JOIN partman_objects o ON d.refclassid = o.classid AND d.refobjid = o.objid
    WHERE d.deptype IN ('i', 'a')
  )
  SELECT d.*
  FROM pg_catalog.pg_depend d
  JOIN partman_objects theirs ON theirs.classid = d.refclassid AND theirs.objid = d.refobjid
  WHERE d.deptype = 'n'
    AND NOT EXISTS (SELECT 1 FROM partman_objects o WHERE o.classid = d.classid AND o.objid = d.objid)
) d
ORDER BY 1
