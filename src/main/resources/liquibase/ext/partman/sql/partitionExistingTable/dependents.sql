-- What depends on the tables given (oids) and would keep pointing at them once another table has taken their place:
-- v_problems lists it (views, functions, functions and columns of their row types, other tables' foreign keys and
-- policies, and their own objects that name another of them), v_other_text what of theirs is not carried over (rules,
-- publications). A table's own constraints, defaults, indexes, statistics, triggers and policies, which the other
-- table gets, point at its columns too, and so does the view the swap makes to keep the write-back's columns, which the
-- rollback drops with the write-back.
SELECT string_agg(DISTINCT coalesce((SELECT pg_catalog.pg_describe_object('pg_catalog.pg_class'::regclass, w.ev_class, 0) FROM pg_catalog.pg_rewrite w
                                      WHERE d.classid = 'pg_catalog.pg_rewrite'::regclass AND w.oid = d.objid),
                                     pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid)), ', ') INTO v_problems
  FROM unnest(@RELATIONS@) r(relid)
  JOIN pg_catalog.pg_class rc ON rc.oid = r.relid
  -- A function or column of a table's row type would keep that table's type.
  JOIN pg_catalog.pg_depend d ON d.deptype = 'n' AND (d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjid = r.relid
                                                      OR d.refclassid = 'pg_catalog.pg_type'::regclass AND d.refobjid = rc.reltype)
  WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c WHERE d.classid = 'pg_catalog.pg_constraint'::regclass AND c.oid = d.objid
                      AND c.conrelid = r.relid AND c.confrelid <> r.relid)
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attrdef a WHERE d.classid = 'pg_catalog.pg_attrdef'::regclass AND a.oid = d.objid AND a.adrelid = r.relid)
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_index i WHERE d.classid = 'pg_catalog.pg_class'::regclass AND i.indexrelid = d.objid AND i.indrelid = r.relid)
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_statistic_ext x WHERE d.classid = 'pg_catalog.pg_statistic_ext'::regclass AND x.oid = d.objid
                      AND x.stxrelid = r.relid)
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger t WHERE d.classid = 'pg_catalog.pg_trigger'::regclass AND t.oid = d.objid AND t.tgrelid = r.relid)
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_policy p WHERE d.classid = 'pg_catalog.pg_policy'::regclass AND p.oid = d.objid AND p.polrelid = r.relid)
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_rewrite w WHERE d.classid = 'pg_catalog.pg_rewrite'::regclass AND w.oid = d.objid
                      AND w.ev_class IN (r.relid, coalesce(pg_catalog.to_regclass(format('%I.%I', @SCHEMA@, @COLUMNS_VIEW@))::oid, 0)));
SELECT concat_ws(', ',
    (SELECT 'rules ' || string_agg(quote_ident(rulename), ', ') FROM pg_catalog.pg_rewrite WHERE ev_class = ANY (@RELATIONS@)),
    (SELECT 'publications ' || string_agg(DISTINCT quote_ident(p.pubname), ', ') FROM pg_catalog.pg_publication_rel r
      JOIN pg_catalog.pg_publication p ON p.oid = r.prpubid WHERE r.prrelid = ANY (@RELATIONS@)))
  INTO v_other_text;
