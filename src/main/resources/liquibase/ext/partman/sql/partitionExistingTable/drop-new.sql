-- The partitioned table a run made, with its partitions, its registration and pg_partman's template table for it (not
-- a templateTable the changelog named).
-- Nobody but the run uses it: its locks are free. The partitions go one by one, committed a few at a time: one DROP of
-- the partitioned table would lock every partition with its indexes at once.
SELECT template_table INTO v_text FROM @PART_CONFIG@ WHERE parent_table = @NEW_PARENT@;
DELETE FROM @PART_CONFIG_SUB@ WHERE sub_parent = @NEW_PARENT@;
DELETE FROM @PART_CONFIG@ WHERE parent_table = @NEW_PARENT@;
IF @OWN_TEMPLATE@ AND v_text IS NOT NULL AND NOT EXISTS (SELECT 1 FROM @PART_CONFIG@ WHERE template_table = v_text) THEN
  EXECUTE format('DROP TABLE IF EXISTS %I.%I', split_part(v_text, '.', 1), split_part(v_text, '.', 2));
END IF;
FOR v_text IN SELECT i.inhrelid::regclass::text FROM pg_catalog.pg_inherits i WHERE i.inhparent = to_regclass(v_new_name) LOOP
  EXECUTE format('DROP TABLE %s', v_text);
  @COMMIT_WHEN_MANY_LOCKS@
END LOOP;
EXECUTE format('DROP TABLE IF EXISTS %s', v_new_name);
