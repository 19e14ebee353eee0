-- Chunks. The swap attaches every table the copy fills in one transaction, so there are never more of them than one
-- transaction may lock, whatever the number of ranges. A plan with more puts consecutive ranges together into chunk
-- tables, each attached as one partition spanning its ranges (never across an existing partition), with about the same
-- number of rows; the split step later moves their rows into the ranges' own partitions, a few ranges a step. A range
-- with more rows than a split step moves stays a target of its own. The targets replace the ranges in what follows:
-- a target of one range is that range's partition, named as pg_partman names it.
IF cardinality(v_lows) > v_per_transaction THEN
  SELECT array_agg(nullif(nullif(trim(BOTH '''' FROM m[1]), 'MINVALUE'), 'MAXVALUE')),
         array_agg(nullif(nullif(trim(BOTH '''' FROM m[2]), 'MINVALUE'), 'MAXVALUE'))
    INTO v_taken_lows, v_taken_highs
    FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid,
    LATERAL regexp_match(pg_catalog.pg_get_expr(c.relpartbound, c.oid), '^FOR VALUES FROM \((.*)\) TO \((.*)\)$') m
    WHERE i.inhparent = v_parent AND m IS NOT NULL;
  v_big := (SELECT count(*) FROM unnest(v_counts) n WHERE n > @SPLIT_STEP_ROWS@);
  -- Filled up to this, every chunk but the last holds at least its share: there are no more chunks than the budget.
  v_chunk_rows := ceil(coalesce((SELECT sum(n) FROM unnest(v_counts) n WHERE n <= @SPLIT_STEP_ROWS@), 0)
                       / greatest(1, v_per_transaction - v_big)::numeric) + @SPLIT_STEP_ROWS@;
  v_target_lows := '{}';
  v_target_highs := '{}';
  v_target_names := '{}';
  v_target_counts := '{}';
  v_target_ranges := '{}';
  FOR k IN 1 .. cardinality(v_lows) LOOP
    v_n := cardinality(v_target_lows);
    IF v_n > 0 AND v_counts[k] <= @SPLIT_STEP_ROWS@ AND NOT (v_target_ranges[v_n] = 1 AND v_target_counts[v_n] > @SPLIT_STEP_ROWS@)
       AND v_target_counts[v_n] + v_counts[k] <= v_chunk_rows
       AND NOT EXISTS (SELECT 1 FROM unnest(v_taken_lows, v_taken_highs) t(lo, hi) WHERE CASE v_kind
             WHEN 'time' THEN (t.lo IS NULL OR t.lo::timestamptz < v_lows[k]::timestamptz) AND (t.hi IS NULL OR t.hi::timestamptz > v_target_highs[v_n]::timestamptz)
             ELSE (t.lo IS NULL OR t.lo::numeric < v_lows[k]::numeric) AND (t.hi IS NULL OR t.hi::numeric > v_target_highs[v_n]::numeric) END) THEN
      v_target_highs[v_n] := v_highs[k];
      v_target_counts[v_n] := v_target_counts[v_n] + v_counts[k];
      v_target_ranges[v_n] := v_target_ranges[v_n] + 1;
      v_target_names[v_n] := v_run || '_chunk_' || v_n;
    ELSE
      v_target_lows := v_target_lows || v_lows[k];
      v_target_highs := v_target_highs || v_highs[k];
      v_target_names := v_target_names || v_names[k];
      v_target_counts := v_target_counts || v_counts[k];
      v_target_ranges := v_target_ranges || 1;
    END IF;
  END LOOP;
  RAISE NOTICE 'liquibase-partman: repartitionDefault %: % ranges to copy into % chunk(s) and % partition(s), split afterwards',
    @PARENT@, cardinality(v_lows), (SELECT count(*) FROM unnest(v_target_ranges) r WHERE r > 1),
    (SELECT count(*) FROM unnest(v_target_ranges) r WHERE r = 1);
  v_lows := v_target_lows;
  v_highs := v_target_highs;
  v_names := v_target_names;
  v_counts := v_target_counts;
END IF;
-- The swap locks every target with each of its indexes in one transaction: a plan that needs more than half of
-- PostgreSQL's shared lock table is refused (the application's sessions share it, and would fail with "out of shared memory").
v_locks := cardinality(v_lows) * (1 + v_indexes);
IF v_locks > current_setting('max_locks_per_transaction')::bigint
             * (current_setting('max_connections')::bigint + current_setting('max_prepared_transactions')::bigint) / 2 THEN
  @CLEAN_UP@
  @COMMIT@
  RAISE EXCEPTION 'repartitionDefault cannot place every row of %: its % partitions and chunks and their indexes would take % locks in the swap, more than half of '
      'the server''s lock table (max_locks_per_transaction x (max_connections + max_prepared_transactions))', v_default_name, cardinality(v_lows), v_locks
    USING HINT = 'Raise max_locks_per_transaction, or move fewer ranges with many rows at once (delete far-off rows first), then run it again. Nothing was moved in this pass.';
END IF;
