-- The next slice in key order: v_cut is the key of its last row (NULL when fewer than batchSize rows are left after
-- v_low: the last slice's end), v_slice its rows, a format string whose argument is the row.
-- The key is written as SQL for the one row found only: for every row skipped it would cost more than the scan.
EXECUTE format('SELECT %s FROM (SELECT %s FROM %s t WHERE %s ORDER BY %s OFFSET %s LIMIT 1) t', v_key_literal, v_key_order, @ROWS@,
    CASE WHEN v_low IS NULL THEN 'true' ELSE format(format('ROW(%s) > %s', v_key, replace(v_low, '%', '%%')), 't') END,
    v_key_order, v_batch_size - 1) INTO v_cut;
v_slice := concat_ws(' AND ', 'true', CASE WHEN v_low IS NOT NULL THEN format('ROW(%s) > %s', v_key, replace(v_low, '%', '%%')) END,
    CASE WHEN v_cut IS NOT NULL THEN format('ROW(%s) <= %s', v_key, replace(v_cut, '%', '%%')) END);
