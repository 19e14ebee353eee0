-- A step that failed before the swap: the plain table is as it was; what the run made goes, its trigger first.
IF v_failure IS NOT NULL THEN
  @CLEAN_UP@
  @COMMIT@
  RAISE EXCEPTION 'partitionExistingTable stopped converting %: %', v_name, v_failure
    USING HINT = 'The table is as it was, and what the run made is removed. Remove the cause and run it again.';
END IF;
