DO $partman$
BEGIN
IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'pg_partman') THEN
  RAISE EXCEPTION 'pg_partman is not installed in this database (%)', current_database()
    USING HINT = 'Install it first: CREATE SCHEMA IF NOT EXISTS "partman"; CREATE EXTENSION pg_partman SCHEMA "partman";';
END IF;
DECLARE
  v_missing text := concat_ws(' ',
    CASE WHEN NOT has_schema_privilege('partman', 'USAGE') THEN format('GRANT USAGE ON SCHEMA %I TO %I;', 'partman', current_user) END,
    CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace, unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']) AS p(privilege) WHERE n.nspname = 'partman' AND c.relname IN ('part_config', 'part_config_sub') AND NOT has_table_privilege(c.oid, p.privilege)) THEN format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I;', 'partman', current_user) END);
BEGIN
  IF v_missing <> '' THEN
    RAISE EXCEPTION 'role % may not use pg_partman in schema %; it needs: %', current_user, 'partman', v_missing
      USING HINT = 'As the owner of schema partman or a superuser: ' || v_missing;
  END IF;
END;
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
VALUES ('installPartmanMaintenance', '"app"."partman_maintenance"(text, interval, boolean, text)', 'maintenance procedure', jsonb_build_object('procedure', pg_catalog.pg_get_functiondef(to_regprocedure('"app"."partman_maintenance"(text, interval, boolean, text)')), 'state_table', to_regclass('"app"."partman_maintenance_state"') IS NOT NULL))
ON CONFLICT (change_key, parent_table) DO NOTHING;
IF to_regclass('"app"."partman_maintenance_state"') IS NULL THEN
  CREATE TABLE "app"."partman_maintenance_state" (
    parent_table text PRIMARY KEY,
    last_completed_at timestamptz,
    deferrals integer NOT NULL DEFAULT 0,
    deferred_since timestamptz,
    last_deferred_at timestamptz,
    last_error text,
    last_error_at timestamptz
  );
END IF;
CREATE OR REPLACE PROCEDURE "app"."partman_maintenance"(
  p_lock_timeout text DEFAULT '200ms',
  p_retry_for interval DEFAULT '5 minutes',
  p_analyze boolean DEFAULT NULL,
  p_parent_table text DEFAULT NULL)
LANGUAGE plpgsql
AS $procedure$
-- Installed by liquibase-partman (installPartmanMaintenance); how it works: docs/design/maintenance.md.
-- pg_partman's run_maintenance for every set with automatic maintenance on, as run_maintenance_proc
-- does (or for p_parent_table only, as run_maintenance(p_parent_table) does), each set in a transaction of its own whose lock waits last at most p_lock_timeout. A set
-- that cannot get its locks is retried after the others, with growing pauses, for p_retry_for;
-- the state table next to it records per set when it was last maintained, the deferrals since, and its last error.
DECLARE
  v_sets text[];
  v_deferred text[];
  v_set text;
  v_deadline timestamptz := clock_timestamp() + p_retry_for;
  v_pause interval := '1 second';
  v_started timestamptz;
  v_config jsonb;
  v_error text;
  v_deferral boolean;
  v_locked boolean;
BEGIN
  IF pg_catalog.pg_is_in_recovery() THEN
    RETURN;
  END IF;
  DELETE FROM "app"."partman_maintenance_state" s WHERE NOT EXISTS (SELECT 1 FROM "partman"."part_config" c WHERE c.parent_table = s.parent_table);
  -- pg_partman's order: maintenance_order (5.1+), then the name
  SELECT coalesce(array_agg(c.parent_table ORDER BY (to_jsonb(c) ->> 'maintenance_order')::int NULLS LAST, c.parent_table), '{}')
    INTO v_sets
    FROM "partman"."part_config" c
   WHERE CASE WHEN p_parent_table IS NULL THEN c.automatic_maintenance = 'on' ELSE c.parent_table = p_parent_table END
     AND NOT c.undo_in_progress;
  COMMIT;
  LOOP
    v_deferred := '{}';
    FOREACH v_set IN ARRAY v_sets LOOP
      PERFORM pg_catalog.set_config('lock_timeout', p_lock_timeout, true);
      v_error := NULL;
      v_deferral := false;
      BEGIN
        -- run_maintenance does nothing, quietly, while another run holds this lock
        IF NOT pg_catalog.pg_try_advisory_xact_lock(pg_catalog.hashtext('pg_partman run_maintenance')) THEN
          RAISE EXCEPTION 'another pg_partman maintenance is running' USING ERRCODE = 'lock_not_available';
        END IF;
        -- pg_partman reports a lock timeout as a plain error (5.5: as a WARNING). Whether locks were
        -- the cause is told by taking them, within the same bound, and trying once more.
        v_locked := false;
        LOOP
          BEGIN
            v_started := clock_timestamp();
            PERFORM "partman"."run_maintenance"(p_parent_table := v_set, p_analyze := p_analyze);
            SELECT to_jsonb(c) INTO v_config FROM "partman"."part_config" c WHERE c.parent_table = v_set;
            -- pg_partman 5.5 turns a set's error into a WARNING and clears its maintenance_last_run
            IF v_config ? 'maintenance_last_run' AND coalesce((v_config ->> 'maintenance_last_run')::timestamptz < v_started, true) THEN
              v_error := 'pg_partman skipped this set; its WARNING in the server log names the cause';
            END IF;
          EXCEPTION WHEN OTHERS THEN
            v_error := SQLERRM;
          END;
          EXIT WHEN v_error IS NULL OR v_locked;
          EXECUTE pg_catalog.format('LOCK TABLE %I.%I IN ACCESS EXCLUSIVE MODE', split_part(v_set, '.', 1), split_part(v_set, '.', 2));
          v_locked := true;
          v_error := NULL;
        END LOOP;
      EXCEPTION
        WHEN lock_not_available OR deadlock_detected THEN
          v_deferral := true;
        WHEN OTHERS THEN
          v_error := SQLERRM;
      END;
      IF v_deferral THEN
        INSERT INTO "app"."partman_maintenance_state" AS s (parent_table, deferrals, deferred_since, last_deferred_at)
        VALUES (v_set, 1, clock_timestamp(), clock_timestamp())
        ON CONFLICT (parent_table) DO UPDATE
          SET deferrals = s.deferrals + 1, deferred_since = coalesce(s.deferred_since, excluded.deferred_since),
              last_deferred_at = excluded.last_deferred_at;
        v_deferred := v_deferred || v_set;
      ELSIF v_error IS NOT NULL THEN
        INSERT INTO "app"."partman_maintenance_state" AS s (parent_table, last_error, last_error_at)
        VALUES (v_set, v_error, clock_timestamp())
        ON CONFLICT (parent_table) DO UPDATE SET last_error = excluded.last_error, last_error_at = excluded.last_error_at;
      ELSIF NOT EXISTS (SELECT 1 FROM "partman"."part_config" c WHERE c.parent_table = v_set) THEN
        -- a sub-partition that retention dropped, with its configuration
        DELETE FROM "app"."partman_maintenance_state" WHERE parent_table = v_set;
      ELSE
        INSERT INTO "app"."partman_maintenance_state" AS s (parent_table, last_completed_at)
        VALUES (v_set, clock_timestamp())
        ON CONFLICT (parent_table) DO UPDATE
          SET last_completed_at = excluded.last_completed_at, deferrals = 0, deferred_since = NULL,
              last_error = NULL, last_error_at = NULL;
      END IF;
      COMMIT;
    END LOOP;
    EXIT WHEN cardinality(v_deferred) = 0 OR clock_timestamp() + v_pause > v_deadline;
    PERFORM pg_catalog.pg_sleep_for(v_pause);
    v_pause := least(v_pause * 2, interval '8 seconds');
    v_sets := v_deferred;
  END LOOP;
END
$procedure$;
END;
$partman$