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
-- that cannot get its locks (lock_not_available, deadlock_detected, on whatever object) is retried after the
-- others, with growing pauses, for p_retry_for; any other error is recorded at once and not retried;
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
  v_state text;
  v_deferral boolean;
  v_skipped boolean;
  v_attempt int;
  v_timeout text;
  v_relid regclass;
  v_related oid[];
  v_referenced regclass;
  v_vacuums int[];
  v_hidden boolean;
  v_patient boolean;
  v_wait int;
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
      v_timeout := p_lock_timeout;
      v_attempt := 0;
      v_relid := pg_catalog.to_regclass(pg_catalog.format('%I.%I', split_part(v_set, '.', 1), split_part(v_set, '.', 2)));
      -- the tree and the tables its foreign keys reference
      WITH t AS (SELECT relid FROM pg_catalog.pg_partition_tree(v_relid))
      SELECT coalesce(array_agg(r.relid), '{}') INTO v_related
        FROM (SELECT relid FROM t UNION SELECT k.confrelid FROM pg_catalog.pg_constraint k JOIN t ON k.conrelid = t.relid
               WHERE k.contype = 'f') r;
      LOOP
        v_attempt := v_attempt + 1;
        PERFORM pg_catalog.set_config('lock_timeout', v_timeout, true);
        v_error := NULL;
        v_deferral := false;
        v_skipped := false;
        BEGIN
          -- run_maintenance does nothing, quietly, while another run holds this lock
          IF NOT pg_catalog.pg_try_advisory_xact_lock(pg_catalog.hashtext('pg_partman run_maintenance')) THEN
            RAISE EXCEPTION 'another pg_partman maintenance is running' USING ERRCODE = 'lock_not_available';
          END IF;
          SELECT to_jsonb(c) INTO v_config FROM "partman"."part_config" c WHERE c.parent_table = v_set;
          IF v_config ->> 'async_partitioning_in_progress' IS NOT NULL THEN
            -- pg_partman 5.5 skips such a set on purpose until partition_data_async is done with it
            v_skipped := true;
          ELSE
            v_started := clock_timestamp();
            PERFORM "partman"."run_maintenance"(p_parent_table := v_set, p_analyze := p_analyze);
            SELECT to_jsonb(c) INTO v_config FROM "partman"."part_config" c WHERE c.parent_table = v_set;
            -- pg_partman 5.5 turns a set's error into a WARNING, which no caller can read, and clears
            -- maintenance_last_run. Whether locks were the cause is told by taking, within the same
            -- bound, the locks it is known to take (the tree, its part_config row, the tables its
            -- foreign keys reference), and trying once more.
            IF v_config ? 'maintenance_last_run' AND coalesce((v_config ->> 'maintenance_last_run')::timestamptz < v_started, true) THEN
              PERFORM 1 FROM "partman"."part_config" c WHERE c.parent_table = v_set FOR UPDATE;
              EXECUTE pg_catalog.format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', v_relid);
              FOR v_referenced IN SELECT DISTINCT r FROM unnest(v_related) r WHERE r <> ALL (
                  SELECT t.relid FROM pg_catalog.pg_partition_tree(v_relid) t) LOOP
                EXECUTE pg_catalog.format('LOCK TABLE %s IN SHARE ROW EXCLUSIVE MODE', v_referenced);
              END LOOP;
              v_started := clock_timestamp();
              PERFORM "partman"."run_maintenance"(p_parent_table := v_set, p_analyze := p_analyze);
              SELECT to_jsonb(c) INTO v_config FROM "partman"."part_config" c WHERE c.parent_table = v_set;
              IF coalesce((v_config ->> 'maintenance_last_run')::timestamptz < v_started, true) THEN
                v_error := 'pg_partman skipped this set; its WARNING in the server log names the cause';
              END IF;
            END IF;
          END IF;
        EXCEPTION WHEN OTHERS THEN
          -- A lock is told by the error's SQLSTATE, whatever object it was on. pg_partman 4.7 - 5.4
          -- re-raise every error as P0001 whose first line is the original message: for those,
          -- PostgreSQL's texts of lock_not_available and deadlock_detected.
          GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE;
          v_error := SQLERRM;
          v_deferral := v_state IN ('55P03', '40P01') OR (v_state = 'P0001' AND split_part(v_error, E'\n', 1)
            ~ '^(canceling statement due to lock timeout|could not obtain lock on |deadlock detected$)');
        END;
        EXIT WHEN NOT v_deferral OR v_attempt > 1;
        -- An autovacuum on the tree (or a referenced table) is only cancelled by PostgreSQL from a
        -- waiter's deadlock check, after deadlock_timeout. Cancel it where this role may; otherwise
        -- wait once, for this attempt, past deadlock_timeout so that PostgreSQL cancels it.
        SELECT array_agg(DISTINCT a.pid) FILTER (WHERE a.query LIKE 'autovacuum:%' AND a.query NOT LIKE '%to prevent wraparound%'),
               coalesce(bool_or(a.query IS NULL OR a.query NOT LIKE 'autovacuum:%'), false)
          INTO v_vacuums, v_hidden
          FROM pg_catalog.pg_stat_activity a
         WHERE a.backend_type = 'autovacuum worker'
           AND EXISTS (SELECT 1 FROM pg_catalog.pg_locks l WHERE l.pid = a.pid AND l.granted AND l.relation = ANY (v_related));
        v_patient := v_hidden;
        IF v_vacuums IS NOT NULL THEN
          BEGIN
            PERFORM pg_catalog.pg_cancel_backend(u.pid) FROM unnest(v_vacuums) u(pid);
            -- until the cancelled workers have let go (they check for it often; at most 1 s here)
            FOR v_wait IN 1..100 LOOP
              EXIT WHEN NOT EXISTS (SELECT 1 FROM pg_catalog.pg_locks l WHERE l.pid = ANY (v_vacuums) AND l.relation = ANY (v_related));
              PERFORM pg_catalog.pg_sleep(0.01);
            END LOOP;
          EXCEPTION WHEN insufficient_privilege THEN
            v_patient := true;
          END;
        END IF;
        -- nothing was cancelled and nothing can be: an ordinary deferral
        EXIT WHEN v_vacuums IS NULL AND NOT v_patient;
        IF v_patient THEN
          v_timeout := (SELECT ceil(extract(epoch FROM pg_catalog.current_setting('deadlock_timeout')::interval) * 1000
                                    + s.setting::numeric)::bigint || 'ms'
                          FROM pg_catalog.pg_settings s WHERE s.name = 'lock_timeout');
        END IF;
      END LOOP;
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
      ELSIF v_skipped THEN
        -- skipped on purpose by pg_partman: neither maintained nor failed; the health view's age check still applies
        INSERT INTO "app"."partman_maintenance_state" (parent_table) VALUES (v_set) ON CONFLICT (parent_table) DO NOTHING;
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