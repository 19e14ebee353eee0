-- The partitions and chunks, as that version's create_partition_time makes partitions, beside the table (a copy
-- attaches a slice's targets to the staging table for as long as it writes to them). The plan's locks are released
-- first: maintenance may be waiting for them while holding its own lock.
@COMMIT@
@LOCK_MAINTENANCE@
FOR k IN 1 .. cardinality(v_lows) LOOP
  IF to_regclass(format('%I.%I', @SCHEMA@, v_names[k])) IS NOT NULL THEN
    -- Maintenance made this empty range's partition since the plan (before it held its lock).
    v_names[k] := NULL;
    CONTINUE;
  END IF;
  @MAKE_TARGET@
  IF starts_with(v_names[k], v_run) THEN
    -- The new DEFAULT (empty still) never holds a row of a chunk's span: each ATTACH of a split step skips reading it.
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I CHECK (NOT (%I >= %L::%s AND %I < %L::%s))', v_fresh, v_names[k],
        v_config.control, v_lows[k], v_control_type, v_config.control, v_highs[k], v_control_type);
  END IF;
  @COMMIT_WHEN_MANY_LOCKS_HOLDING_MAINTENANCE@
END LOOP;
@COMMIT@
RAISE NOTICE 'liquibase-partman: repartitionDefault %: % rows to copy into % partition(s) and chunk(s) %..% in % slice(s)',
  @PARENT@, v_planned, cardinality(array_remove(v_names, NULL)), v_lows[1], v_highs[cardinality(v_highs)], cardinality(v_slice_lows);
-- Where a logged change applies: the partition or chunk of its row's range, or the new DEFAULT for a range not planned.
SELECT 'CASE WHEN false THEN NULL' || coalesce(string_agg(format(' WHEN t.%1$I >= %2$L::%4$s AND t.%1$I < %3$L::%4$s THEN %5$L',
           v_config.control, lo, hi, v_control_type, format('%I.%I', @SCHEMA@, name)), '' ORDER BY k), '') || format(' ELSE %L END', v_fresh)
  INTO v_route FROM unnest(v_lows, v_highs, v_names) WITH ORDINALITY u(lo, hi, name, k) WHERE name IS NOT NULL;
