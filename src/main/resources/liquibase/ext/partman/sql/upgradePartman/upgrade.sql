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
IF v_from <> @TO@ THEN
  IF v_from <> @FROM@ THEN
    RAISE EXCEPTION 'liquibase-partman: pg_partman is at %, and this script updates it from @FROM_TEXT@; nothing changed', v_from
      USING HINT = 'Write the script again for the version the database has (update, or updateSQL with partman.version).';
  END IF;
  -- Checks, before anything changes: every problem at once, and nothing done if there is one.
  v_previous := v_from;
  FOREACH v_stage IN ARRAY @STAGES@ LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension_update_paths('pg_partman') p
                   WHERE p.source = v_previous AND p.target = v_stage AND p.path IS NOT NULL) THEN
      v_problems := v_problems || format('no update of pg_partman from %s to %s is installed on the server: install the '
                                         || 'package of pg_partman @TO_TEXT@, which puts its update scripts (pg_partman--%s--*.sql) '
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
  @RECREATED_TABLES_CHECKS@
  SELECT 'the backup tables exist already: ' || string_agg(t.name, ', ') || ' (drop or rename them)'
  INTO v_found
  FROM unnest(ARRAY[@BACKUP_TEXT@, @BACKUP_SUB_TEXT@]) t(name)
  WHERE to_regclass(t.name) IS NOT NULL;
  v_problems := array_remove(v_problems || v_found, NULL);
  IF cardinality(v_problems) > 0 THEN
    RAISE EXCEPTION 'liquibase-partman: pg_partman not updated to @TO_TEXT@, nothing changed: %', array_to_string(v_problems, '; ');
  END IF;
  -- Partitions named otherwise already: the check after the update only warns about them.
  SELECT array_agg(m.parent_table) INTO v_misnamed_before
  FROM (
    @MISNAMED_SETS@
  ) m;
  -- pg_partman has no downgrade: its configuration as it is now, for the DBA, committed with the first
  -- stage (a first stage that fails leaves nothing behind).
  CREATE TABLE @BACKUP@ AS SELECT * FROM @PART_CONFIG@;
  CREATE TABLE @BACKUP_SUB@ AS SELECT * FROM @PART_CONFIG_SUB@;
  EXECUTE format('COMMENT ON TABLE %s IS %L', @BACKUP_TEXT@, format('liquibase-partman: partman.part_config of pg_partman %s, '
                 || 'before upgradePartman to @TO_TEXT@', v_from));
  EXECUTE format('COMMENT ON TABLE %s IS %L', @BACKUP_SUB_TEXT@, format('liquibase-partman: partman.part_config_sub of pg_partman %s, '
                 || 'before upgradePartman to @TO_TEXT@', v_from));
  RAISE NOTICE 'liquibase-partman: part_config and part_config_sub of pg_partman % backed up into % and %', v_from, @BACKUP_TEXT@, @BACKUP_SUB_TEXT@;
  -- Each stage in a transaction of its own.
  @STAGES_SQL@
END IF;
-- Every set afterwards: its partitions named as its datetime_string says (a set whose partitions
-- were named otherwise before gets a WARNING), and its maintenance (not for a set whose DEFAULT holds
-- rows: its maintenance fails on every version, and not for the update).
@SET_TIME_ZONE@
FOR v_set IN
  @MISNAMED_SETS@
LOOP
  IF v_set.parent_table = ANY (v_misnamed_before) THEN
    RAISE WARNING 'liquibase-partman: % has partitions not named as its datetime_string says, as before the update: %', v_set.parent_table, v_set.partitions;
  ELSE
    v_problems := v_problems || format('%s: partitions not named as its datetime_string says: %s', v_set.parent_table, v_set.partitions);
  END IF;
END LOOP;
FOR v_set IN SELECT parent_table FROM @PART_CONFIG@ ORDER BY parent_table LOOP
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
      PERFORM @RUN_MAINTENANCE@(p_parent_table := v_set.parent_table);
    EXCEPTION WHEN OTHERS THEN
      v_problems := v_problems || format('%s: maintenance failed: %s', v_set.parent_table, SQLERRM);
    END;
  END IF;
  COMMIT;
END LOOP;
IF to_regclass(@BACKUP_TEXT@) IS NOT NULL THEN
  SELECT string_agg(format('%s: %s', c.parent_table, d.changes), '; ' ORDER BY c.parent_table) INTO v_found
  FROM @PART_CONFIG@ c
  JOIN @BACKUP@ b ON b.parent_table = c.parent_table
  CROSS JOIN LATERAL (SELECT string_agg(format('%s %s -> %s', o.key, o.value, n.value), ', ' ORDER BY o.key) AS changes
                      FROM jsonb_each(to_jsonb(b)) o JOIN jsonb_each(to_jsonb(c)) n ON n.key = o.key
                      WHERE n.value <> o.value AND o.key <> 'maintenance_last_run') d
  WHERE d.changes IS NOT NULL;
  RAISE NOTICE 'liquibase-partman: what pg_partman''s update scripts changed in part_config: %', coalesce(v_found, 'no value');
  SELECT concat_ws('; ',
           'columns removed: ' || string_agg(a.attname, ', ' ORDER BY a.attname) FILTER (WHERE a.attrelid = to_regclass(@BACKUP_TEXT@)),
           'columns added: ' || string_agg(a.attname, ', ' ORDER BY a.attname) FILTER (WHERE a.attrelid = to_regclass(@PART_CONFIG_TEXT@)))
  INTO v_found
  FROM pg_catalog.pg_attribute a
  WHERE a.attrelid IN (to_regclass(@BACKUP_TEXT@), to_regclass(@PART_CONFIG_TEXT@)) AND a.attnum > 0 AND NOT a.attisdropped
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute o
                    WHERE o.attrelid IN (to_regclass(@BACKUP_TEXT@), to_regclass(@PART_CONFIG_TEXT@)) AND o.attrelid <> a.attrelid
                      AND o.attname = a.attname AND o.attnum > 0 AND NOT o.attisdropped);
  RAISE NOTICE 'liquibase-partman: part_config''s %', coalesce(nullif(v_found, ''), 'columns are the same');
END IF;
IF cardinality(v_problems) > 0 THEN
  RAISE EXCEPTION 'liquibase-partman: pg_partman is at @TO_TEXT@, but: %', array_to_string(v_problems, '; ')
    USING HINT = 'pg_partman has no downgrade; its configuration before the update is in ' || @BACKUP_TEXT@ || ' and ' || @BACKUP_SUB_TEXT@ || '.';
END IF;
RAISE NOTICE 'liquibase-partman: pg_partman is at @TO_TEXT@; every set''s partitions are named as its datetime_string says, and its maintenance succeeded (but where a WARNING says otherwise)';
END;
