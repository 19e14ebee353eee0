-- Slice by slice, one statement copies the slice's rows from the DEFAULT and deletes the slice's log entries it saw
-- (one statement, one snapshot: the entries it deletes are exactly the changes the copy contains); the changes
-- logged after that are applied to the copies. What the copies receive is summed up row by row (count and two
-- hashes of each row's text), to be compared with the old DEFAULT once it has left the table.
v_copied := 'false';
v_copied_rows := 0;
v_changes := 0;
@CATCH_UP@
FOR s IN 1 .. cardinality(v_slice_lows) LOOP
  v_slice := format('%1$I >= %2$L::%4$s AND %1$I < %3$L::%4$s', v_config.control, v_slice_lows[s], v_slice_highs[s], v_control_type)
      || CASE WHEN v_slice_key_lows[s] IS NULL THEN '' ELSE format(' AND %s >= %s', v_key, v_slice_key_lows[s]) END
      || CASE WHEN v_slice_key_highs[s] IS NULL THEN '' ELSE format(' AND %s < %s', v_key, v_slice_key_highs[s]) END;
  -- With fillGaps="false" a slice's targets can leave ranges between them without a partition: a row arriving there
  -- is not the slice's (the staging table has no partition for it), and the catch-up puts it in the new DEFAULT.
  IF EXISTS (SELECT 1 FROM generate_series(v_slice_firsts[s], v_slice_lasts[s]) k
             WHERE v_names[k] IS NULL OR k < v_slice_lasts[s] AND v_highs[k] <> v_lows[k + 1]) THEN
    v_slice := v_slice || ' AND (' || (SELECT coalesce(string_agg(format('%1$I >= %2$L::%4$s AND %1$I < %3$L::%4$s', v_config.control,
                   v_lows[k], v_highs[k], v_control_type), ' OR ' ORDER BY k), 'false')
        FROM generate_series(v_slice_firsts[s], v_slice_lasts[s]) k WHERE v_names[k] IS NOT NULL) || ')';
  END IF;
  IF v_slice_rows[s] > 0 THEN
    v_failure := NULL;
    BEGIN
      -- Attached to the staging table only while the copy writes to them: an ATTACH costs as much as the table has
      -- partitions, and the staging table then never has more than a slice's.
      FOR k IN v_slice_firsts[s] .. v_slice_lasts[s] LOOP
        CONTINUE WHEN v_names[k] IS NULL;
        EXECUTE format('ALTER TABLE %s ATTACH PARTITION %I.%I FOR VALUES FROM (%L) TO (%L)', v_staging, @SCHEMA@, v_names[k], v_lows[k], v_highs[k]);
      END LOOP;
      EXECUTE format('WITH seen AS (DELETE FROM %1$s WHERE partman_repartition_entry IN (SELECT partman_repartition_entry FROM %2$s t WHERE %3$s)), '
          'copied AS (INSERT INTO %4$s AS t (%5$s) SELECT %5$s FROM ONLY %6$s t WHERE %3$s RETURNING %7$s AS partman_repartition_row) '
          'SELECT @ROW_SUMS@ FROM copied',
          v_log, v_entries, v_slice, v_staging, v_columns, v_default_name, v_row)
        INTO v_rows, v_old_sum0, v_old_sum1;
      FOR k IN v_slice_firsts[s] .. v_slice_lasts[s] LOOP
        CONTINUE WHEN v_names[k] IS NULL;
        EXECUTE format('ALTER TABLE %s DETACH PARTITION %I.%I', v_staging, @SCHEMA@, v_names[k]);
      END LOOP;
    EXCEPTION WHEN OTHERS THEN
      v_failure := SQLERRM;
    END;
    @ABANDON@
    v_moved_rows := v_moved_rows + v_rows;
    v_moved_sum0 := v_moved_sum0 + v_old_sum0;
    v_moved_sum1 := v_moved_sum1 + v_old_sum1;
    v_copied_rows := v_copied_rows + v_rows;
    v_copies := v_copies + 1;
    RAISE NOTICE 'liquibase-partman: repartitionDefault %: copy %: % rows with % from % to before %; % of % copied',
      @PARENT@, v_copies, v_rows, v_config.control, v_slice_lows[s],
      v_slice_highs[s] || CASE WHEN v_slice_key_lows[s] IS NULL AND v_slice_key_highs[s] IS NULL THEN '' ELSE ' (a slice of that range)' END,
      v_copied_rows, v_planned;
    @COMMIT@
  END IF;
  v_copied := CASE WHEN v_slice_key_highs[s] IS NULL THEN format('%I < %L::%s', v_config.control, v_slice_highs[s], v_control_type)
                   ELSE format('(%1$I < %2$L::%4$s OR %1$I < %3$L::%4$s AND %5$s < %6$s)', v_config.control,
                               v_slice_lows[s], v_slice_highs[s], v_control_type, v_key, v_slice_key_highs[s]) END;
  @CATCH_UP@
END LOOP;
