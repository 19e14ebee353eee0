IF to_regclass('cron.job') IS NULL THEN
  DECLARE
    v_cron_database text := (SELECT setting FROM pg_catalog.pg_settings WHERE name = 'cron.database_name');
  BEGIN
    IF v_cron_database = current_database() THEN
      RAISE EXCEPTION 'pg_cron is not installed in database %, the one cron.database_name names', current_database()
        USING HINT = 'Run CREATE EXTENSION pg_cron in it first.';
    END IF;
    RAISE EXCEPTION 'pg_cron jobs can only be managed in the database named by cron.database_name (%), not in %',
      coalesce(v_cron_database, 'not readable by ' || current_user || ': it needs pg_read_all_settings'), current_database()
      USING HINT = format('Run this changelog against database %s; to make a job run in %s, give scheduleCron the attribute database="%s".',
        coalesce(v_cron_database, 'cron.database_name'), current_database(), current_database());
  END;
END IF;
