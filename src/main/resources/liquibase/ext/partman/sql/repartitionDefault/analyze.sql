-- One table a statement, committed a few at a time: ANALYZE in a transaction keeps each table's lock until the
-- transaction ends, and one ANALYZE of every new partition would hold thousands of locks after a move of a thousand
-- ranges, taking the shared lock table from the application.
IF cardinality(v_created) > 0 THEN
  FOREACH v_name IN ARRAY v_created LOOP
    EXECUTE format('ANALYZE %I.%I', @SCHEMA@, v_name);
    @COMMIT_WHEN_MANY_LOCKS@
  END LOOP;
  EXECUTE format('ANALYZE %s', v_default_name);
END IF;
