-- Applies the logged changes of the slices copied so far, at most batchSize entries a transaction, in the order they
-- were logged: per key, the copy's row goes, and the key's last logged version, if it is one, takes its place
-- (changes to one key are logged in the order they commit: each waits for the one before). Entries of slices not
-- copied yet wait for their slice's copy, which sees them.
LOOP
  v_failure := NULL;
  v_batch := NULL;
  BEGIN
    EXECUTE format('SELECT array_agg(partman_entry) FROM (SELECT e.partman_entry FROM %s e WHERE %s ORDER BY 1 LIMIT %s) x',
        format(v_entries, 'true'), format(v_copied, '(e.r)'), v_batch_size) INTO v_batch;
    IF v_batch IS NOT NULL THEN
      EXECUTE format('DELETE FROM %s t WHERE (%s) IN (SELECT %s FROM %s e)', v_new_name, format(v_key, 't'), format(v_key, '(e.r)'),
          format(v_entries, 'l.partman_entry = ANY ($1)')) USING v_batch;
      EXECUTE format('INSERT INTO %s (%s) OVERRIDING SYSTEM VALUE SELECT %s FROM (SELECT DISTINCT ON (%s) e.partman_delta, e.r FROM %s e '
          'ORDER BY %s, e.partman_entry DESC) f WHERE f.partman_delta > 0', v_new_name, v_columns, v_fields, format(v_key, '(e.r)'),
          format(v_entries, 'l.partman_entry = ANY ($1)'), format(v_key, '(e.r)')) USING v_batch;
      EXECUTE format('DELETE FROM %s WHERE partman_entry = ANY ($1)', v_log) USING v_batch;
    END IF;
  EXCEPTION WHEN OTHERS THEN
    @ON_FAILURE@
  END;
  @ABANDON@
  EXIT WHEN v_batch IS NULL;
  v_changes := v_changes + cardinality(v_batch);
  @COMMIT_APPLIED@
  EXIT WHEN cardinality(v_batch) < v_batch_size;
END LOOP;
