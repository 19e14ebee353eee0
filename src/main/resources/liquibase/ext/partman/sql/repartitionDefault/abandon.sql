-- A step that failed before the swap: the rows never left the DEFAULT; what the run made goes, its trigger first.
IF v_failure IS NOT NULL THEN
  @CLEAN_UP@
  @COMMIT@
  RAISE EXCEPTION 'repartitionDefault stopped moving the rows of %: %', v_default_name, v_failure
    USING HINT = 'The rows are still in the DEFAULT, and what the run made is removed. Remove the cause and run it again.';
END IF;
