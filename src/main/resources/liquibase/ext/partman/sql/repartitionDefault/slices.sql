-- Slices to copy, each about batchSize rows at most: whole ranges together (as many as one transaction may lock, since a copy
-- locks every partition it writes to), or a range with more rows cut every batchSize rows in key order (a NULL key
-- bound is open).
v_slice_lows := '{}';
v_slice_highs := '{}';
v_slice_key_lows := '{}';
v_slice_key_highs := '{}';
v_slice_rows := '{}';
v_slice_firsts := '{}';
v_slice_lasts := '{}';
v_extend := false;
FOR k IN 1 .. cardinality(v_lows) LOOP
  IF v_counts[k] > v_batch_size THEN
    EXECUTE format('SELECT array_agg(%1$s ORDER BY partman_repartition_row) FROM (SELECT *, row_number() OVER (ORDER BY %2$s) AS partman_repartition_row '
        'FROM ONLY %3$s WHERE %4$I >= %5$L::%7$s AND %4$I < %6$L::%7$s) s WHERE (partman_repartition_row - 1) %% %8$s = 0 AND partman_repartition_row > 1',
        v_key_literal, v_key_order, v_default_name, v_config.control, v_lows[k], v_highs[k], v_control_type, v_batch_size)
      INTO v_cuts;
    v_cuts := NULL::text || coalesce(v_cuts, '{}') || NULL::text;
    FOR c IN 1 .. cardinality(v_cuts) - 1 LOOP
      v_slice_lows := v_slice_lows || v_lows[k];
      v_slice_highs := v_slice_highs || v_highs[k];
      v_slice_key_lows := v_slice_key_lows || v_cuts[c];
      v_slice_key_highs := v_slice_key_highs || v_cuts[c + 1];
      v_slice_firsts := v_slice_firsts || k;
      v_slice_lasts := v_slice_lasts || k;
      -- Never 0: rows that arrived since the plan counted them can push older rows into a last slice.
      v_slice_rows := v_slice_rows || greatest(1, least(v_batch_size, v_counts[k] - (c - 1) * v_batch_size));
    END LOOP;
    v_extend := false;
  ELSIF v_extend AND v_slice_rows[cardinality(v_slice_rows)] + v_counts[k] <= v_batch_size AND v_slice_width < v_per_transaction THEN
    v_slice_highs[cardinality(v_slice_highs)] := v_highs[k];
    v_slice_rows[cardinality(v_slice_rows)] := v_slice_rows[cardinality(v_slice_rows)] + v_counts[k];
    v_slice_width := v_slice_width + 1;
    v_slice_lasts[cardinality(v_slice_lasts)] := k;
  ELSE
    v_slice_lows := v_slice_lows || v_lows[k];
    v_slice_highs := v_slice_highs || v_highs[k];
    v_slice_key_lows := v_slice_key_lows || NULL::text;
    v_slice_key_highs := v_slice_key_highs || NULL::text;
    v_slice_rows := v_slice_rows || v_counts[k];
    v_slice_firsts := v_slice_firsts || k;
    v_slice_lasts := v_slice_lasts || k;
    v_slice_width := 1;
    v_extend := true;
  END IF;
END LOOP;

