@DEPENDENTS@
IF v_problems IS NOT NULL OR v_other_text <> '' THEN
  RAISE EXCEPTION 'the rollback of partitionExistingTable drops % and its partitions, and these depend on them or are theirs and not carried back: %',
    v_name, concat_ws('; ', v_problems, nullif(v_other_text, ''))
    USING HINT = 'Drop them, roll back, then create them again on the plain table.';
END IF;
