-- A killed run changed nothing in the plain table: what it made is removed, its logging trigger first.
IF to_regclass(v_new_name) IS NOT NULL OR to_regclass(v_log) IS NOT NULL
   OR to_regprocedure(format('%I.%I()', @SCHEMA@, @LOG_TABLE@)) IS NOT NULL OR to_regprocedure(format('%I.%I()', @SCHEMA@, @BACK@)) IS NOT NULL THEN
  @CLEAN_UP@
  RAISE NOTICE 'liquibase-partman: partitionExistingTable %: removed what an interrupted run left', @PARENT@;
  @COMMIT@
END IF;
