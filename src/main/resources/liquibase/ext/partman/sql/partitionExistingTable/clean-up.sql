-- Dropping the trigger waits for the plain table at most lockTimeout at a time.
@LOCK_TABLE_FOR_CLEAN_UP@
FOR v_text IN SELECT t.tgname FROM pg_catalog.pg_trigger t WHERE t.tgrelid = v_table AND @OWN_TRIGGER@ LOOP
  EXECUTE format('DROP TRIGGER %I ON %s', v_text, v_name);
END LOOP;
EXECUTE format('DROP FUNCTION IF EXISTS %I.%I()', @SCHEMA@, @LOG_TABLE@);
EXECUTE format('DROP TABLE IF EXISTS %s', v_log);
@DROP_NEW@
EXECUTE format('DROP FUNCTION IF EXISTS %I.%I()', @SCHEMA@, @BACK@);
