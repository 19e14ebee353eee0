-- Dropping the trigger waits for the plain table at most lockTimeout at a time.
@LOCK_TABLE_FOR_CLEAN_UP@
EXECUTE format('DROP TRIGGER IF EXISTS partman_log ON %s', v_name);
EXECUTE format('DROP TRIGGER IF EXISTS partman_log_truncate ON %s', v_name);
EXECUTE format('DROP FUNCTION IF EXISTS %I.%I()', @SCHEMA@, @LOG_TABLE@);
EXECUTE format('DROP TABLE IF EXISTS %s', v_log);
@DROP_NEW@
EXECUTE format('DROP FUNCTION IF EXISTS %I.%I()', @SCHEMA@, @BACK@);
