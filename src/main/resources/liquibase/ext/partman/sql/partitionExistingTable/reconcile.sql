-- The plain table is made to hold exactly the keys the partitioned table holds. The write-back applies every row
-- written, but the rows of a partition truncated (TRUNCATE of a partition fires no trigger of the partitioned table),
-- detached or dropped go unseen, and those of a table attached come unseen. Slice by slice, each at most batchSize
-- rows of the table walked and a transaction of its own: first the plain table's rows whose key the partitioned table
-- lacks go, then the partitioned table's rows whose key the plain table lacks come. A writer changes both tables in
-- its one transaction and each statement sees both in one snapshot, so what a statement finds is only what the
-- write-back never saw; a key written meanwhile is written to both.
FOR v_direction IN 1..2 LOOP
  v_low := NULL;
  LOOP
    @CUT@
    IF v_direction = 1 THEN
      EXECUTE format('DELETE FROM ONLY %1$s t WHERE %3$s AND NOT EXISTS (SELECT 1 FROM %2$s n WHERE %4$s AND (%5$s) = (%6$s))',
          v_table, v_new, format(v_slice, 't'), format(v_slice, 'n'), format(v_key, 'n'), format(v_key, 't'));
      GET DIAGNOSTICS v_rows = ROW_COUNT;
      v_removed := v_removed + v_rows;
    ELSE
      -- A key a writer wrote since this statement's snapshot is in the plain table already, and is the writer's.
      EXECUTE format('INSERT INTO %1$s (%3$s) OVERRIDING SYSTEM VALUE SELECT %3$s FROM %2$s t WHERE %4$s '
          'AND NOT EXISTS (SELECT 1 FROM ONLY %1$s o WHERE %5$s AND (%6$s) = (%7$s)) ON CONFLICT (%8$s) DO NOTHING',
          v_table, v_new, v_columns, format(v_slice, 't'), format(v_slice, 'o'), format(v_key, 'o'), format(v_key, 't'), v_key_order);
      GET DIAGNOSTICS v_rows = ROW_COUNT;
      v_added := v_added + v_rows;
    END IF;
    @COMMIT@
    EXIT WHEN v_cut IS NULL;
    v_low := v_cut;
  END LOOP;
END LOOP;
