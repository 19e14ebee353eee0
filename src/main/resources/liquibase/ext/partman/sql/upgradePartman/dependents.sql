-- Named with their schemas; a view by its name rather than its rule's.
SELECT DISTINCT format('%s %s (depends on %s %s)', o.type, o.identity, r.type, r.identity) AS dependent
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
LEFT JOIN pg_catalog.pg_rewrite w ON d.classid = 'pg_catalog.pg_rewrite'::regclass AND w.oid = d.objid
CROSS JOIN LATERAL pg_catalog.pg_identify_object(CASE WHEN w.oid IS NULL THEN d.classid ELSE 'pg_catalog.pg_class'::regclass END,
                                                 coalesce(w.ev_class, d.objid), CASE WHEN w.oid IS NULL THEN d.objsubid ELSE 0 END) o
CROSS JOIN LATERAL pg_catalog.pg_identify_object(d.refclassid, d.refobjid, d.refobjsubid) r
ORDER BY 1
