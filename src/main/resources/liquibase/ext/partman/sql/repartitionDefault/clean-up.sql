@LOCK_FOR_CLEAN_UP@
EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', v_cleaning, v_default_name);
EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', v_cleaning || '_truncate', v_default_name);
EXECUTE format('DROP TABLE IF EXISTS %I.%I, %I.%I, %I.%I', @SCHEMA@, v_cleaning, @SCHEMA@, v_cleaning || '_log', @SCHEMA@, v_cleaning || '_default');
EXECUTE format('DROP FUNCTION IF EXISTS %I.%I()', @SCHEMA@, v_cleaning);
FOR v_name IN SELECT c.conrelid::regclass::text FROM pg_catalog.pg_constraint c
    WHERE c.conname = '@BOUNDS@' AND c.connamespace = (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = @SCHEMA@)
      AND pg_catalog.obj_description(c.oid, 'pg_constraint') = v_cleaning
      AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i WHERE i.inhrelid = c.conrelid) LOOP
  EXECUTE format('DROP TABLE %s', v_name);
END LOOP;
