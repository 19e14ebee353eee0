DO $partman$
DECLARE
  v_previous jsonb;
BEGIN
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
SELECT previous INTO v_previous FROM "public"."partman_change_undo" WHERE change_key = 'schedulePartmanMaintenance' AND parent_table = 'partman-maintenance' AND action = 'cron job';
IF FOUND THEN
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
END IF;
IF NOT FOUND THEN
  RAISE NOTICE 'liquibase-partman: no record of pg_cron job % before this change; it is left as it is', 'partman-maintenance';
ELSIF v_previous IS NULL THEN
  PERFORM cron.unschedule(j.jobid) FROM cron.job j WHERE j.jobname = 'partman-maintenance' AND j.username = current_user;
ELSE
  PERFORM cron.schedule_in_database('partman-maintenance', v_previous->>'schedule', v_previous->>'command', v_previous->>'database', NULLIF(v_previous->>'username', current_user), (v_previous->>'active')::boolean);
  PERFORM cron.alter_job(j.jobid, database := v_previous->>'database', active := (v_previous->>'active')::boolean) FROM cron.job j
  WHERE j.jobname = 'partman-maintenance' AND j.username = current_user AND (j.database IS DISTINCT FROM v_previous->>'database' OR j.active IS DISTINCT FROM (v_previous->>'active')::boolean);
END IF;
DELETE FROM "public"."partman_change_undo" WHERE change_key = 'schedulePartmanMaintenance' AND parent_table = 'partman-maintenance';
END;
$partman$