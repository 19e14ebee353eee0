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
SELECT previous INTO v_previous FROM "public"."partman_change_undo" WHERE change_key = 'installPartmanMaintenance' AND parent_table = '"app"."partman_maintenance"(text, interval, boolean, text)' AND action = 'maintenance procedure';
IF NOT FOUND THEN
  RAISE NOTICE 'liquibase-partman: no record of % before this change; it is left as it is', '"app"."partman_maintenance"';
ELSE
  IF v_previous ->> 'procedure' IS NULL THEN
    DROP PROCEDURE IF EXISTS "app"."partman_maintenance"(text, interval, boolean, text);
  ELSE
    EXECUTE v_previous ->> 'procedure';
  END IF;
  IF NOT (v_previous ->> 'state_table')::boolean THEN
    DROP TABLE IF EXISTS "app"."partman_maintenance_state";
  END IF;
END IF;
DELETE FROM "public"."partman_change_undo" WHERE change_key = 'installPartmanMaintenance' AND parent_table = '"app"."partman_maintenance"(text, interval, boolean, text)';
END;
$partman$