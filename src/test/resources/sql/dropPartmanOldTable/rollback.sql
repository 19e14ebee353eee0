DO $partman$
BEGIN
RAISE EXCEPTION 'liquibase-partman: dropPartmanOldTable on public.statistics_daily_users cannot be rolled back: it dropped public.statistics_daily_users_partman_old, the plain table partitionExistingTable kept for its rollback, and the triggers that kept it exact'
  USING HINT = 'The conversion is final: the rollback of partitionExistingTable refuses too. Copy the rows into a plain table by hand if you need one.';
END;
$partman$