PERFORM cron.schedule(@NAME@, @SCHEDULE@, @COMMAND@);
PERFORM cron.alter_job(j.jobid, @ALTERATIONS@) FROM cron.job j
WHERE @MATCHES@ AND (@DIFFERS@);
