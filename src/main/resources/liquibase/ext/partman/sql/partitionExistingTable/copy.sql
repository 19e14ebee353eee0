-- Slice by slice in key order, each at most batchSize rows, bounded by the keys where it starts and ends (found with
-- the key's index). One statement copies the slice's rows and deletes the slice's log entries it saw (one statement,
-- one snapshot: the changes those entries record are in the copy); the changes logged after that are applied to the
-- copies. v_slice and v_copied are format strings whose argument is the row: t, or a logged row (e.r).
v_copied := 'false';
v_low := NULL;
LOOP
  @CUT@
  v_failure := NULL;
  BEGIN
    EXECUTE format('WITH seen AS (DELETE FROM %1$s WHERE partman_entry IN (SELECT e.partman_entry FROM %2$s e WHERE %3$s)) '
        'INSERT INTO %4$s (%5$s) OVERRIDING SYSTEM VALUE SELECT %5$s FROM ONLY %6$s t WHERE %7$s',
        v_log, format(v_entries, 'true'), format(v_slice, '(e.r)'), v_new_name, v_columns, v_name, format(v_slice, 't'));
    -- The INSERT's rows (the DELETE in WITH is not counted): returning them to count them cost more than the copy's
    -- scan, a tuplestore of every row.
    GET DIAGNOSTICS v_rows = ROW_COUNT;
  EXCEPTION WHEN OTHERS THEN
    v_failure := SQLERRM;
  END;
  @ABANDON@
  v_copied_rows := v_copied_rows + v_rows;
  v_slices := v_slices + 1;
  RAISE NOTICE 'liquibase-partman: partitionExistingTable %: copy %: % rows (% in all)', @PARENT@, v_slices, v_rows, v_copied_rows;
  @COMMIT@
  v_copied := CASE WHEN v_cut IS NULL THEN 'true' ELSE format('ROW(%s) <= %s', v_key, replace(v_cut, '%', '%%')) END;
  @CATCH_UP@
  EXIT WHEN v_cut IS NULL;
  v_low := v_cut;
END LOOP;
