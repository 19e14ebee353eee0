@LOCK_FOR_CLEAN_UP@
EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', v_cleaning, v_default_name);
EXECUTE format('DROP TABLE IF EXISTS %I.%I, %I.%I', @SCHEMA@, v_cleaning, @SCHEMA@, v_cleaning || '_log');
EXECUTE format('DROP FUNCTION IF EXISTS %I.%I()', @SCHEMA@, v_cleaning);
