DO $partman$
BEGIN
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
IF to_regclass('"public"."partman_change_undo"') IS NULL THEN
  CREATE TABLE "public"."partman_change_undo" (
    change_key text NOT NULL,
    parent_table text NOT NULL,
    action text NOT NULL,
    previous jsonb,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (change_key, parent_table)
  );
END IF;
INSERT INTO "public"."partman_change_undo" (change_key, parent_table, action, previous)
VALUES ('schedulePartmanMaintenance', 'partman-maintenance', 'cron job', (SELECT to_jsonb(j) FROM cron.job j WHERE j.jobname = 'partman-maintenance' AND j.username = current_user))
ON CONFLICT (change_key, parent_table) DO NOTHING;
IF 'appdb' = current_database() AND to_regprocedure('"app"."partman_maintenance"(text, interval, boolean, text)') IS NULL THEN
  RAISE EXCEPTION 'procedure % does not exist in database %, where the job would call it', '"app"."partman_maintenance"', current_database()
    USING HINT = 'Install it first with installPartmanMaintenance schemaName="app".';
END IF;
PERFORM cron.schedule_in_database('partman-maintenance', '0 * * * *', 'CALL "app"."partman_maintenance"(p_analyze => false)', 'appdb', NULL, true);
PERFORM cron.alter_job(j.jobid, database := 'appdb') FROM cron.job j
WHERE j.jobname = 'partman-maintenance' AND j.username = current_user AND (j.database IS DISTINCT FROM 'appdb');
END;
$partman$