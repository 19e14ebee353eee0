-- The indexes of @TO@ take the names of @FROM@'s with the same definition (and so do the constraints they back).
FOR v_oid, v_other, v_text IN
    SELECT a.indexrelid, b.indexrelid, (SELECT relname FROM pg_catalog.pg_class WHERE oid = a.indexrelid)
      FROM (SELECT indexrelid, regexp_replace(pg_catalog.pg_get_indexdef(indexrelid), '^.* USING ', '') AS def,
                   row_number() OVER (PARTITION BY regexp_replace(pg_catalog.pg_get_indexdef(indexrelid), '^.* USING ', '') ORDER BY indexrelid) AS n
              FROM pg_catalog.pg_index WHERE indrelid = @FROM@) a
      JOIN (SELECT indexrelid, regexp_replace(pg_catalog.pg_get_indexdef(indexrelid), '^.* USING ', '') AS def,
                   row_number() OVER (PARTITION BY regexp_replace(pg_catalog.pg_get_indexdef(indexrelid), '^.* USING ', '') ORDER BY indexrelid) AS n
              FROM pg_catalog.pg_index WHERE indrelid = @TO@) b USING (def, n) LOOP
  EXECUTE format('ALTER INDEX %s RENAME TO %I', v_oid::regclass, @SET_ASIDE@);
  EXECUTE format('ALTER INDEX %s RENAME TO %I', v_other::regclass, v_text);
END LOOP;
-- Sequences owned by @FROM@'s columns (serial columns) belong to @TO@'s from now on.
FOR v_oid, v_text IN SELECT d.objid, a.attname FROM pg_catalog.pg_depend d
    JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
    WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjid = @FROM@
      AND d.deptype = 'a' AND EXISTS (SELECT 1 FROM pg_catalog.pg_class s WHERE s.oid = d.objid AND s.relkind = 'S') LOOP
  EXECUTE format('ALTER SEQUENCE %s OWNED BY %s.%I', v_oid::regclass, @TO@, v_text);
END LOOP;
-- Identity columns: @TO@'s sequence goes on from where @FROM@'s is, under its name.
FOR v_other_text IN SELECT attname FROM pg_catalog.pg_attribute WHERE attrelid = @FROM@ AND attidentity <> '' AND attnum > 0 AND NOT attisdropped LOOP
  v_oid := pg_catalog.pg_get_serial_sequence(@FROM@::text, v_other_text)::regclass;
  v_other := pg_catalog.pg_get_serial_sequence(@TO@::text, v_other_text)::regclass;
  EXECUTE format('SELECT pg_catalog.setval(%L, s.last_value, s.is_called) FROM %s s', v_other::regclass::text, v_oid::regclass);
  @SEQUENCE_GRANTS@
  SELECT relname INTO v_text FROM pg_catalog.pg_class WHERE oid = v_oid;
  EXECUTE format('ALTER SEQUENCE %s RENAME TO %I', v_oid::regclass, @SET_ASIDE@);
  EXECUTE format('ALTER SEQUENCE %s RENAME TO %I', v_other::regclass, v_text);
END LOOP;
