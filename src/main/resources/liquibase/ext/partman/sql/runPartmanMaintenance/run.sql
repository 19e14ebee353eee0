DECLARE
  v_session_time_zone text := current_setting('TimeZone');
BEGIN
@REQUIRE_PARTMAN@
@REQUIRE_REGISTERED@
@SET_TIME_ZONE@
@INVOKE@ @MAINTENANCE@(@ARGUMENTS@);
PERFORM set_config('TimeZone', v_session_time_zone, @LOCAL@);
END;
