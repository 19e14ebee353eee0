-- The plain table is made to hold exactly the keys the partitioned table holds. The write-back applies every row
-- written, but the rows of a partition truncated (TRUNCATE of a partition fires no trigger of the partitioned table),
-- detached or dropped go unseen, and those of a table attached come unseen. Slice by slice, each at most batchSize
-- rows of the table walked and a transaction of its own: first the plain table's rows whose key the partitioned table
-- lacks go, then the partitioned table's rows whose key the plain table lacks come. A writer changes both tables in
-- its one transaction and each statement sees both in one snapshot, so what a statement finds is only what the
-- write-back never saw; a key written meanwhile is written to both. A row added is share-locked in the partitioned
-- table until its slice commits: a writer deleting or updating it then waits, and its write-back finds the row added
-- (without the lock it found nothing to delete or replace, and the row came back, or its write failed on the key).
-- A row lock the slice waits for that a writer holds, the writer perhaps waiting for one of the slice's, is given up
-- after v_row_lock_timeout, before the writer could find a deadlock and fail: the slice is done again.
FOR v_direction IN 1..2 LOOP
  v_low := NULL;
  LOOP
    @CUT@
    v_lock_started := clock_timestamp();
    LOOP
      BEGIN
        PERFORM set_config('lock_timeout', v_row_lock_timeout, true);
        IF v_direction = 1 THEN
          EXECUTE format('DELETE FROM ONLY %1$s t WHERE %3$s AND NOT EXISTS (SELECT 1 FROM %2$s n WHERE %4$s AND (%5$s) = (%6$s))',
              v_table, v_new, format(v_slice, 't'), format(v_slice, 'n'), format(v_key, 'n'), format(v_key, 't'));
          GET DIAGNOSTICS v_rows = ROW_COUNT;
          v_removed := v_removed + v_rows;
        ELSE
          -- A key a writer wrote since this statement's snapshot is in the plain table already, and is the writer's. A row
          -- moved to another partition since then cannot be locked (serialization_failure): the slice is done again.
          EXECUTE format('INSERT INTO %1$s (%3$s) OVERRIDING SYSTEM VALUE SELECT %3$s FROM %2$s t WHERE %4$s '
              'AND NOT EXISTS (SELECT 1 FROM ONLY %1$s o WHERE %5$s AND (%6$s) = (%7$s)) FOR SHARE OF t ON CONFLICT (%8$s) DO NOTHING',
              v_table, v_new, v_columns, format(v_slice, 't'), format(v_slice, 'o'), format(v_key, 'o'), format(v_key, 't'), v_key_order);
          GET DIAGNOSTICS v_rows = ROW_COUNT;
          v_added := v_added + v_rows;
        END IF;
        EXIT;
      EXCEPTION WHEN lock_not_available OR deadlock_detected OR serialization_failure THEN
        IF clock_timestamp() - v_lock_started > interval '1 minute' THEN
          RAISE EXCEPTION 'the rollback of partitionExistingTable could not lock rows of % and % within a minute (lockTimeout %); sessions writing them: %',
            v_name, v_old_name, v_lock_timeout, (SELECT string_agg(DISTINCT l.pid::text, ', ') FROM pg_catalog.pg_locks l
              WHERE l.relation IN (v_new, v_table) AND l.granted AND l.pid <> pg_backend_pid())
            USING HINT = 'Run it again when those sessions are done, or raise lockTimeout.';
        END IF;
      END;
      PERFORM pg_sleep(0.01 + random() * 0.04);
    END LOOP;
    @COMMIT@
    EXIT WHEN v_cut IS NULL;
    v_low := v_cut;
  END LOOP;
END LOOP;
