-- The partitions, as that version's create_partition_time makes them, beside the table (a copy attaches a slice's
-- partitions to the staging table for as long as it writes to them). The plan's locks are released first: maintenance
-- may be waiting for them while holding its own lock.
@COMMIT@
@LOCK_MAINTENANCE@
FOR k IN 1 .. cardinality(v_lows) LOOP
  IF to_regclass(format('%I.%I', @SCHEMA@, v_names[k])) IS NOT NULL THEN
    -- Maintenance made this empty range's partition since the plan (before it held its lock).
    v_names[k] := NULL;
    CONTINUE;
  END IF;
  EXECUTE format('CREATE TABLE %I.%I (LIKE %s @LIKE_OPTIONS@ INCLUDING INDEXES, '
      'CONSTRAINT @BOUNDS@ CHECK (%I IS NOT NULL AND %I >= %L::%s AND %I < %L::%s))%s',
      @SCHEMA@, v_names[k], v_parent_name, v_config.control, v_config.control, v_lows[k], v_control_type,
      v_config.control, v_highs[k], v_control_type, v_tablespace);
  -- Names the run, so that a killed run's partitions are found once they leave the staging table.
  EXECUTE format('COMMENT ON CONSTRAINT @BOUNDS@ ON %I.%I IS %L', @SCHEMA@, v_names[k], v_run);
  IF v_config.template_table IS NOT NULL THEN
    PERFORM @INHERIT_TEMPLATE_PROPERTIES@(@PARENT@, @SCHEMA@, v_names[k]);
  END IF;
  IF v_config.inherit_privileges THEN
    PERFORM @APPLY_PRIVILEGES@(@SCHEMA@, @TABLE@, @SCHEMA@, v_names[k]);
  END IF;
  @PUBLICATIONS@
END LOOP;
@COMMIT@
RAISE NOTICE 'liquibase-partman: repartitionDefault %: % rows to copy into % partition(s) %..% in % slice(s)',
  @PARENT@, v_planned, cardinality(array_remove(v_names, NULL)), v_lows[1], v_highs[cardinality(v_highs)], cardinality(v_slice_lows);
-- Where a logged change applies: the partition of its row's range, or the new DEFAULT for a range not planned.
SELECT 'CASE WHEN false THEN NULL' || coalesce(string_agg(format(' WHEN t.%1$I >= %2$L::%4$s AND t.%1$I < %3$L::%4$s THEN %5$L',
           v_config.control, lo, hi, v_control_type, format('%I.%I', @SCHEMA@, name)), '' ORDER BY k), '') || format(' ELSE %L END', v_fresh)
  INTO v_route FROM unnest(v_lows, v_highs, v_names) WITH ORDINALITY u(lo, hi, name, k) WHERE name IS NOT NULL;
