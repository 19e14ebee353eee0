-- Applies the logged changes of the slices copied so far, and of rows of ranges not planned (which go to the new
-- DEFAULT), at most batchSize entries a transaction. A batch applies its net effect on each row text: the copies are
-- a multiset of rows, and inserting one row and deleting another that reads the same is no change. Removals come
-- first, so that a new version never meets the old one in a unique index. The sums count what the statements wrote
-- and removed, as they return it.
LOOP
  v_failure := NULL;
  BEGIN
    EXECUTE format('SELECT array_agg(partman_repartition_entry) FROM (SELECT partman_repartition_entry FROM %s t '
        'WHERE (%s) = %L OR %s ORDER BY 1 LIMIT %s) e', v_entries, v_route, v_fresh, v_copied, v_batch_size) INTO v_batch;
    EXIT WHEN v_batch IS NULL;
    FOR v_target, v_text, v_net IN EXECUTE format('SELECT %s, %s, sum(partman_repartition_delta) FROM %s t '
        'WHERE partman_repartition_entry = ANY ($1) GROUP BY 1, 2 HAVING sum(partman_repartition_delta) <> 0 ORDER BY 3', v_route, v_row, v_entries)
        USING v_batch LOOP
      IF v_net > 0 THEN
        EXECUTE format('WITH put AS (INSERT INTO %1$s AS t (%2$s) SELECT %3$s FROM (SELECT $1::%4$s AS r OFFSET 0) s, generate_series(1, $2) '
            'RETURNING %5$s AS partman_repartition_row) '
            'SELECT @ROW_SUMS@ FROM put',
            v_target, v_columns, v_fields, v_staging, v_row) INTO v_rows, v_old_sum0, v_old_sum1 USING v_text, v_net;
        v_moved_rows := v_moved_rows + v_rows;
        v_moved_sum0 := v_moved_sum0 + v_old_sum0;
        v_moved_sum1 := v_moved_sum1 + v_old_sum1;
      ELSE
        v_net := -v_net;
        FOR v_found_table, v_found_row IN EXECUTE format('SELECT t.tableoid::regclass, t.ctid FROM %s t, (SELECT $1::%s AS r OFFSET 0) s '
            'WHERE %s AND %s = $1 LIMIT $2', v_target, v_staging, v_narrow, v_row) USING v_text, v_net LOOP
          EXECUTE format('WITH gone AS (DELETE FROM %s t WHERE ctid = $1 RETURNING %s AS partman_repartition_row) '
              'SELECT @ROW_SUMS@ FROM gone',
              v_found_table, v_row) INTO v_rows, v_old_sum0, v_old_sum1 USING v_found_row;
          v_moved_rows := v_moved_rows - v_rows;
          v_moved_sum0 := v_moved_sum0 - v_old_sum0;
          v_moved_sum1 := v_moved_sum1 - v_old_sum1;
          v_net := v_net - v_rows;
        END LOOP;
        IF v_net <> 0 THEN
          RAISE EXCEPTION 'repartitionDefault lost track of a row of %: the log removes % more row(s) % than the copies hold',
            v_default_name, v_net, v_text;
        END IF;
      END IF;
    END LOOP;
    EXECUTE format('DELETE FROM %s WHERE partman_repartition_entry = ANY ($1)', v_log) USING v_batch;
  EXCEPTION WHEN OTHERS THEN
    @ON_FAILURE@
  END;
  @ABANDON@
  v_changes := v_changes + cardinality(v_batch);
  @COMMIT_APPLIED@
  EXIT WHEN cardinality(v_batch) < v_batch_size;
END LOOP;
