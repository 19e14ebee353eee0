-- Everything it drops is locked first, at once and within lockTimeout: no DROP then waits while the DEFAULT is held.
-- The partitions a run made are known by their bounds constraint's comment (those attached to its staging table go with it).
v_leftovers := ARRAY(SELECT c.conrelid::regclass FROM pg_catalog.pg_constraint c
    WHERE c.conname = '@BOUNDS@' AND c.connamespace = (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = @SCHEMA@)
      AND pg_catalog.obj_description(c.oid, 'pg_constraint') = v_cleaning
      AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i WHERE i.inhrelid = c.conrelid));
v_locking := ARRAY[v_default] || array_remove(ARRAY[to_regclass(format('%I.%I', @SCHEMA@, v_cleaning)),
    to_regclass(format('%I.%I', @SCHEMA@, v_cleaning || '_log')), to_regclass(format('%I.%I', @SCHEMA@, v_cleaning || '_default'))], NULL)
    || v_leftovers;
@LOCK_ALL@
EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', v_cleaning, v_default_name);
EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', v_cleaning || '_truncate', v_default_name);
EXECUTE format('DROP TABLE IF EXISTS %I.%I, %I.%I, %I.%I', @SCHEMA@, v_cleaning, @SCHEMA@, v_cleaning || '_log', @SCHEMA@, v_cleaning || '_default');
EXECUTE format('DROP FUNCTION IF EXISTS %I.%I()', @SCHEMA@, v_cleaning);
FOREACH v_bounded IN ARRAY v_leftovers LOOP
  EXECUTE format('DROP TABLE %s', v_bounded);
END LOOP;
