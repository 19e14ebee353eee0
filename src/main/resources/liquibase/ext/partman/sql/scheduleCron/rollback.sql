IF NOT FOUND THEN
  RAISE NOTICE 'liquibase-partman: no record of pg_cron job % before this change; it is left as it is', @JOB_NAME@;
ELSIF v_previous IS NULL THEN
  @UNSCHEDULE@
ELSE
  @RESTORE@
END IF;
