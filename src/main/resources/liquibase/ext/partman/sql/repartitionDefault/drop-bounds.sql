FOR v_bounded IN SELECT c.conrelid::regclass FROM pg_catalog.pg_constraint c JOIN pg_catalog.pg_inherits i ON i.inhrelid = c.conrelid
    WHERE i.inhparent = v_parent AND c.conname = '@BOUNDS@' LOOP
  @LOCK_BOUNDED@
  EXECUTE format('ALTER TABLE %s DROP CONSTRAINT @BOUNDS@', v_bounded);
  @COMMIT@
END LOOP;
