DO $partman$
DECLARE
  v_from text;
  v_previous text;
  v_stage text;
  v_found text;
  v_problems text[] := '{}';
  v_set record;
  v_parent regclass;
  v_default regclass;
  v_default_has_rows boolean;
  v_misnamed_before text[];
BEGIN
SELECT extversion INTO v_from FROM pg_catalog.pg_extension WHERE extname = 'pg_partman';
IF v_from IS NULL THEN
  RAISE EXCEPTION 'pg_partman is not installed in this database (%)', current_database();
END IF;
IF v_from <> '5.2.4' THEN
  IF v_from <> '4.7.2' THEN
    RAISE EXCEPTION 'liquibase-partman: pg_partman is at %, and this script updates it from 4.7.2; nothing changed', v_from
      USING HINT = 'Write the script again for the version the database has (update, or updateSQL with partman.version).';
  END IF;
  -- Checks, before anything changes: every problem at once, and nothing done if there is one.
  v_previous := v_from;
  FOREACH v_stage IN ARRAY ARRAY['5.0.0','5.0.1','5.2.4']::text[] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension_update_paths('pg_partman') p
                   WHERE p.source = v_previous AND p.target = v_stage AND p.path IS NOT NULL) THEN
      v_problems := v_problems || format('no update of pg_partman from %s to %s is installed on the server: install the '
                                         || 'package of pg_partman 5.2.4, which puts its update scripts (pg_partman--%s--*.sql) '
                                         || 'into PostgreSQL''s extension folder', v_previous, v_stage, v_previous);
    END IF;
    v_previous := v_stage;
  END LOOP;
  -- ALTER EXTENSION takes the extension's owner. (That pg_partman's scripts take a superuser, PostgreSQL
  -- checks itself: a managed service's administrator role may run them without being one.)
  SELECT format('role %s may not update pg_partman: ALTER EXTENSION needs its owner, %s, or a member of that role',
                current_user, e.extowner::regrole)
  INTO v_found
  FROM pg_catalog.pg_extension e
  WHERE e.extname = 'pg_partman' AND NOT pg_catalog.pg_has_role(e.extowner, 'MEMBER');
  v_problems := v_problems || v_found;
  -- The 4.x -> 5.0 update recreates part_config and part_config_sub, refuses trigger-based sets and
  -- leaves sets 5.x does not maintain.
  SELECT 'trigger-based sets, which pg_partman 5 refuses to update: ' || string_agg(t.parent_table, ', ' ORDER BY t.parent_table)
         || ' (migrate them to native partitioning first, as pg_partman''s documentation describes)'
  INTO v_found
  FROM (SELECT parent_table FROM "partman"."part_config" WHERE partition_type = 'partman'
        UNION SELECT sub_parent FROM "partman"."part_config_sub" WHERE sub_partition_type = 'partman') t(parent_table);
  v_problems := v_problems || v_found;
  SELECT string_agg(format('%s is %s, which pg_partman 5 does not maintain: make it again as a ''%s'' set before the update '
                           || '(pg_partman''s 5.0.1 upgrade guide)', parent_table,
                           CASE WHEN datetime_string = 'IYYY"w"IW' THEN 'ISO-weekly' ELSE 'quarterly' END,
                           CASE WHEN datetime_string = 'IYYY"w"IW' THEN '1 week' ELSE '3 months' END), '; ' ORDER BY parent_table)
  INTO v_found
  FROM "partman"."part_config"
  WHERE datetime_string IN ('IYYY"w"IW', 'YYYY"q"Q');
  v_problems := v_problems || v_found;
  SELECT 'objects depending on pg_partman''s objects, which the 5.0 update drops and recreates: ' || string_agg(d.dependent, ', ')
         || ' (drop them before the update and create them again after; the health view of liquibase-partman''s pack '
         || 'depends on none from its changeset health-view-via-function on)'
  INTO v_found
  FROM (
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
  ) d;
  v_problems := v_problems || v_found;
  SELECT 'the backup tables exist already: ' || string_agg(t.name, ', ') || ' (drop or rename them)'
  INTO v_found
  FROM unnest(ARRAY['"public"."part_config_before_5_2_4"', '"public"."part_config_sub_before_5_2_4"']) t(name)
  WHERE to_regclass(t.name) IS NOT NULL;
  v_problems := array_remove(v_problems || v_found, NULL);
  IF cardinality(v_problems) > 0 THEN
    RAISE EXCEPTION 'liquibase-partman: pg_partman not updated to 5.2.4, nothing changed: %', array_to_string(v_problems, '; ');
  END IF;
  -- Partitions named otherwise already: the check after the update only warns about them.
  SELECT array_agg(m.parent_table) INTO v_misnamed_before
  FROM (
    -- Sets with partitions not named as their datetime_string says, and those partitions.
    SELECT c.parent_table, string_agg(k.relname, ', ' ORDER BY k.relname) AS partitions
    FROM "partman"."part_config" c
    JOIN pg_catalog.pg_inherits i
      ON i.inhparent = to_regclass(quote_ident(split_part(c.parent_table, '.', 1)) || '.' || quote_ident(split_part(c.parent_table, '.', 2)))
    JOIN pg_catalog.pg_class k ON k.oid = i.inhrelid
    CROSS JOIN LATERAL regexp_match(pg_catalog.pg_get_expr(k.relpartbound, k.oid), '^FOR VALUES FROM \(''([0-9][^'']*)''\) TO') b(bound)
    WHERE c.datetime_string IS NOT NULL AND b.bound IS NOT NULL
      AND k.relname::text <> "partman"."check_name_length"(split_part(c.parent_table, '.', 2), to_char(b.bound[1]::timestamptz, c.datetime_string), true)
    GROUP BY c.parent_table
  ) m;
  -- pg_partman has no downgrade: its configuration as it is now, for the DBA, committed with the first
  -- stage (a first stage that fails leaves nothing behind).
  CREATE TABLE "public"."part_config_before_5_2_4" AS SELECT * FROM "partman"."part_config";
  CREATE TABLE "public"."part_config_sub_before_5_2_4" AS SELECT * FROM "partman"."part_config_sub";
  EXECUTE format('COMMENT ON TABLE %s IS %L', '"public"."part_config_before_5_2_4"', format('liquibase-partman: partman.part_config of pg_partman %s, '
                 || 'before upgradePartman to 5.2.4', v_from));
  EXECUTE format('COMMENT ON TABLE %s IS %L', '"public"."part_config_sub_before_5_2_4"', format('liquibase-partman: partman.part_config_sub of pg_partman %s, '
                 || 'before upgradePartman to 5.2.4', v_from));
  RAISE NOTICE 'liquibase-partman: part_config and part_config_sub of pg_partman % backed up into % and %', v_from, '"public"."part_config_before_5_2_4"', '"public"."part_config_sub_before_5_2_4"';
  -- Each stage in a transaction of its own.
  EXECUTE format('ALTER EXTENSION pg_partman UPDATE TO %L', '5.0.0');
  COMMIT;
  RAISE NOTICE 'liquibase-partman: pg_partman updated to %', '5.0.0';
  EXECUTE format('ALTER EXTENSION pg_partman UPDATE TO %L', '5.0.1');
  COMMIT;
  RAISE NOTICE 'liquibase-partman: pg_partman updated to %', '5.0.1';
  EXECUTE format('ALTER EXTENSION pg_partman UPDATE TO %L', '5.2.4');
  COMMIT;
  RAISE NOTICE 'liquibase-partman: pg_partman updated to %', '5.2.4';
END IF;
-- Every set afterwards: its partitions named as its datetime_string says (a set whose partitions
-- were named otherwise before gets a WARNING), and its maintenance (not for a set whose DEFAULT holds
-- rows: its maintenance fails on every version, and not for the update).
PERFORM set_config('TimeZone', 'UTC', false);
FOR v_set IN
  -- Sets with partitions not named as their datetime_string says, and those partitions.
  SELECT c.parent_table, string_agg(k.relname, ', ' ORDER BY k.relname) AS partitions
  FROM "partman"."part_config" c
  JOIN pg_catalog.pg_inherits i
    ON i.inhparent = to_regclass(quote_ident(split_part(c.parent_table, '.', 1)) || '.' || quote_ident(split_part(c.parent_table, '.', 2)))
  JOIN pg_catalog.pg_class k ON k.oid = i.inhrelid
  CROSS JOIN LATERAL regexp_match(pg_catalog.pg_get_expr(k.relpartbound, k.oid), '^FOR VALUES FROM \(''([0-9][^'']*)''\) TO') b(bound)
  WHERE c.datetime_string IS NOT NULL AND b.bound IS NOT NULL
    AND k.relname::text <> "partman"."check_name_length"(split_part(c.parent_table, '.', 2), to_char(b.bound[1]::timestamptz, c.datetime_string), true)
  GROUP BY c.parent_table
LOOP
  IF v_set.parent_table = ANY (v_misnamed_before) THEN
    RAISE WARNING 'liquibase-partman: % has partitions not named as its datetime_string says, as before the update: %', v_set.parent_table, v_set.partitions;
  ELSE
    v_problems := v_problems || format('%s: partitions not named as its datetime_string says: %s', v_set.parent_table, v_set.partitions);
  END IF;
END LOOP;
FOR v_set IN SELECT parent_table FROM "partman"."part_config" ORDER BY parent_table LOOP
  v_parent := to_regclass(quote_ident(split_part(v_set.parent_table, '.', 1)) || '.' || quote_ident(split_part(v_set.parent_table, '.', 2)));
  SELECT i.inhrelid::regclass INTO v_default
  FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class k ON k.oid = i.inhrelid
  WHERE i.inhparent = v_parent AND pg_catalog.pg_get_expr(k.relpartbound, k.oid) = 'DEFAULT';
  v_default_has_rows := false;
  IF v_default IS NOT NULL THEN
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM ONLY %s)', v_default) INTO v_default_has_rows;
  END IF;
  IF v_default_has_rows THEN
    RAISE WARNING 'liquibase-partman: % holds rows in its DEFAULT partition %, so its maintenance was not tried: move them with repartitionDefault', v_set.parent_table, v_default;
  ELSE
    BEGIN
      PERFORM "partman"."run_maintenance"(p_parent_table := v_set.parent_table);
    EXCEPTION WHEN OTHERS THEN
      v_problems := v_problems || format('%s: maintenance failed: %s', v_set.parent_table, SQLERRM);
    END;
  END IF;
  COMMIT;
END LOOP;
IF to_regclass('"public"."part_config_before_5_2_4"') IS NOT NULL THEN
  SELECT string_agg(format('%s: %s', c.parent_table, d.changes), '; ' ORDER BY c.parent_table) INTO v_found
  FROM "partman"."part_config" c
  JOIN "public"."part_config_before_5_2_4" b ON b.parent_table = c.parent_table
  CROSS JOIN LATERAL (SELECT string_agg(format('%s %s -> %s', o.key, o.value, n.value), ', ' ORDER BY o.key) AS changes
                      FROM jsonb_each(to_jsonb(b)) o JOIN jsonb_each(to_jsonb(c)) n ON n.key = o.key
                      WHERE n.value <> o.value AND o.key <> 'maintenance_last_run') d
  WHERE d.changes IS NOT NULL;
  RAISE NOTICE 'liquibase-partman: what pg_partman''s update scripts changed in part_config: %', coalesce(v_found, 'no value');
  SELECT concat_ws('; ',
           'columns removed: ' || string_agg(a.attname, ', ' ORDER BY a.attname) FILTER (WHERE a.attrelid = to_regclass('"public"."part_config_before_5_2_4"')),
           'columns added: ' || string_agg(a.attname, ', ' ORDER BY a.attname) FILTER (WHERE a.attrelid = to_regclass('"partman"."part_config"')))
  INTO v_found
  FROM pg_catalog.pg_attribute a
  WHERE a.attrelid IN (to_regclass('"public"."part_config_before_5_2_4"'), to_regclass('"partman"."part_config"')) AND a.attnum > 0 AND NOT a.attisdropped
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute o
                    WHERE o.attrelid IN (to_regclass('"public"."part_config_before_5_2_4"'), to_regclass('"partman"."part_config"')) AND o.attrelid <> a.attrelid
                      AND o.attname = a.attname AND o.attnum > 0 AND NOT o.attisdropped);
  RAISE NOTICE 'liquibase-partman: part_config''s %', coalesce(nullif(v_found, ''), 'columns are the same');
END IF;
IF cardinality(v_problems) > 0 THEN
  RAISE EXCEPTION 'liquibase-partman: pg_partman is at 5.2.4, but: %', array_to_string(v_problems, '; ')
    USING HINT = 'pg_partman has no downgrade; its configuration before the update is in ' || '"public"."part_config_before_5_2_4"' || ' and ' || '"public"."part_config_sub_before_5_2_4"' || '.';
END IF;
RAISE NOTICE 'liquibase-partman: pg_partman is at 5.2.4; every set''s partitions are named as its datetime_string says, and its maintenance succeeded (but where a WARNING says otherwise)';
END;
$partman$