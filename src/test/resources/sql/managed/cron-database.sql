-- In the database cron.database_name names (postgres on RDS), as the master user.
CREATE EXTENSION IF NOT EXISTS pg_cron;
CREATE SCHEMA IF NOT EXISTS app AUTHORIZATION app;
GRANT USAGE ON SCHEMA cron TO app;
GRANT EXECUTE ON FUNCTION cron.schedule_in_database(text, text, text, text, text, boolean) TO app;
GRANT EXECUTE ON FUNCTION cron.alter_job(bigint, text, text, text, text, boolean) TO app;
