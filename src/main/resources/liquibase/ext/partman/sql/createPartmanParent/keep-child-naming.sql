-- The children the table had keep their names, and so does the set: the first of pg_partman's
-- namings that names every one of them becomes the set's datetime_string, and the partitions
-- create_parent just made are named that way too.
SELECT datetime_string INTO v_datetime_string FROM @PART_CONFIG@ WHERE parent_table = @PARENT@;
IF v_children_before IS NOT NULL AND v_datetime_string IS NOT NULL THEN
  SELECT d.naming INTO v_naming
  FROM unnest(@NAMINGS@) WITH ORDINALITY d(naming, position)
  WHERE NOT EXISTS (
    SELECT 1
    FROM unnest(v_children_before) c(oid)
    JOIN pg_catalog.pg_class k ON k.oid = c.oid
    CROSS JOIN LATERAL regexp_match(pg_catalog.pg_get_expr(k.relpartbound, k.oid), '^FOR VALUES FROM \(''([0-9][^'']*)''\) TO') b(bound)
    WHERE b.bound IS NULL
       OR k.relname::text <> @CHECK_NAME_LENGTH@(@TABLE_NAME@, to_char(b.bound[1]::timestamptz, d.naming), true))
  ORDER BY d.position
  LIMIT 1;
  IF v_naming IS NULL THEN
    RAISE NOTICE 'liquibase-partman: % keeps its % partitions; their names follow none of pg_partman''s namings, so new partitions are named %', @PARENT@, cardinality(v_children_before), v_datetime_string;
  ELSIF v_naming <> v_datetime_string THEN
    UPDATE @PART_CONFIG@ SET datetime_string = v_naming WHERE parent_table = @PARENT@;
    FOR v_child IN
      SELECT k.oid, b.bound[1] AS lower_bound
      FROM pg_catalog.pg_inherits i
      JOIN pg_catalog.pg_class k ON k.oid = i.inhrelid
      CROSS JOIN LATERAL regexp_match(pg_catalog.pg_get_expr(k.relpartbound, k.oid), '^FOR VALUES FROM \(''([0-9][^'']*)''\) TO') b(bound)
      WHERE i.inhparent = @REGCLASS@::regclass AND k.oid <> ALL (v_children_before) AND b.bound IS NOT NULL
    LOOP
      EXECUTE format('ALTER TABLE %s RENAME TO %I', v_child.oid::regclass,
                     @CHECK_NAME_LENGTH@(@TABLE_NAME@, to_char(v_child.lower_bound::timestamptz, v_naming), true));
    END LOOP;
    RAISE NOTICE 'liquibase-partman: % keeps its % partitions and their naming (datetime_string %)', @PARENT@, cardinality(v_children_before), v_naming;
  END IF;
END IF;
