PERFORM cron.schedule_in_database(@NAME@, @SCHEDULE@, @COMMAND@, @DATABASE@, @USERNAME@, @ACTIVE@);
PERFORM cron.alter_job(j.jobid, @ALTERATIONS@) FROM cron.job j
WHERE @MATCHES@ AND (@DIFFERS@);
