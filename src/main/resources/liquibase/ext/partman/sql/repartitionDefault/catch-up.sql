LOOP
  v_applied := 0;
  FOR v_entry, v_entry_deletes, v_target IN EXECUTE format('SELECT partman_repartition_entry, partman_repartition_delete, %s FROM %s '
      'WHERE %s OR %s ORDER BY 1 LIMIT %s', v_route, v_log, v_outside_plan, v_copied, v_batch_size) LOOP
    IF v_entry_deletes THEN
      v_found_table := NULL;
      EXECUTE format('SELECT s.tableoid::regclass::text, s.ctid FROM %s s, %s e WHERE e.partman_repartition_entry = $1 AND %s LIMIT 1',
          v_target, v_log, v_match) INTO v_found_table, v_found_row USING v_entry;
      IF v_found_table IS NULL THEN
        RAISE EXCEPTION 'repartitionDefault lost track of a row of %: the change logged as entry % matches no copied row', v_default_name, v_entry;
      END IF;
      EXECUTE format('DELETE FROM %s WHERE ctid = $1', v_found_table) USING v_found_row;
    ELSE
      EXECUTE format('INSERT INTO %s (%s) SELECT %s FROM %s WHERE partman_repartition_entry = $1', v_target, v_columns, v_columns, v_log) USING v_entry;
    END IF;
    EXECUTE format('DELETE FROM %s WHERE partman_repartition_entry = $1', v_log) USING v_entry;
    v_applied := v_applied + 1;
  END LOOP;
  v_changes := v_changes + v_applied;
  @COMMIT_APPLIED@
  EXIT WHEN v_applied < v_batch_size;
END LOOP;
