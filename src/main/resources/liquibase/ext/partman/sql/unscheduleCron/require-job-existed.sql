IF NOT FOUND THEN
  RAISE EXCEPTION 'pg_cron job % of role % does not exist', @JOB_NAME@, @ROLE@
    USING HINT = 'Check the name in cron.job, or leave ifExists at true to accept a job that is already gone.';
END IF;
