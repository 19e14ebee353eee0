-- The partitioned table a run made, with its partitions, its registration and pg_partman's template table for it (not
-- a templateTable the changelog named).
-- Nobody but the run uses it: its locks are free. The partitions go one by one, committed a few at a time: one DROP of
-- the partitioned table would lock every partition with its indexes at once.
@UNREGISTER_NEW@
FOR v_text IN SELECT i.inhrelid::regclass::text FROM pg_catalog.pg_inherits i WHERE i.inhparent = to_regclass(v_new_name) LOOP
  EXECUTE format('DROP TABLE %s', v_text);
  @COMMIT_WHEN_MANY_LOCKS@
END LOOP;
EXECUTE format('DROP TABLE IF EXISTS %s', v_new_name);
