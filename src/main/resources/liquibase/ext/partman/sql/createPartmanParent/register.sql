DECLARE
  v_config record;
  v_session_time_zone text := current_setting('TimeZone');
  v_children_before oid[];
  v_resume_from text;
  v_datetime_string text;
  v_naming text;
  v_child record;
  v_newest oid;
  v_newest_name name;
  v_newest_bound text;
  v_default oid;
  v_default_name name;
BEGIN
@REQUIRE_PARTMAN@
@REQUIRE_PARTITIONED@
@CREATE_UNDO_TABLE@
SELECT control, partition_interval INTO v_config FROM @PART_CONFIG@ WHERE parent_table = @PARENT@;
IF FOUND THEN
  IF v_config.control <> @CONTROL@ OR v_config.partition_interval::@INTERVAL_TYPE@ <> @INTERVAL@ THEN
    RAISE EXCEPTION 'table % is already managed by pg_partman with control column % and interval %, not @CONTROL_TEXT@ and @INTERVAL_TEXT@', @PARENT@, v_config.control, v_config.partition_interval
      USING HINT = 'Change premake or retention with setPartmanConfig/setRetention; to change the control column or interval, unregister the table first.';
  END IF;
  RAISE NOTICE 'liquibase-partman: % is already managed by pg_partman with the same control column and interval; adopting the existing registration unchanged', @PARENT@;
ELSE
  @SET_TIME_ZONE@
  @EXISTING_CHILDREN@
  PERFORM @CREATE_PARENT@(@ARGUMENTS@);
  @PUT_BACK_SET_ASIDE@
  @KEEP_CHILD_NAMING@
  PERFORM set_config('TimeZone', v_session_time_zone, true);
  @REMEMBER_REGISTRATION@
END IF;
END;
