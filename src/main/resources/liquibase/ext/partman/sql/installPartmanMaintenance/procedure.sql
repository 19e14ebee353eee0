CREATE OR REPLACE PROCEDURE @PROCEDURE@(
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
  DELETE FROM @STATE@ s WHERE NOT EXISTS (SELECT 1 FROM @PART_CONFIG@ c WHERE c.parent_table = s.parent_table);
  -- pg_partman's order: maintenance_order (5.1+), then the name
  SELECT coalesce(array_agg(c.parent_table ORDER BY (to_jsonb(c) ->> 'maintenance_order')::int NULLS LAST, c.parent_table), '{}')
    INTO v_sets
    FROM @PART_CONFIG@ c
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
            PERFORM @RUN_MAINTENANCE@(p_parent_table := v_set, p_analyze := p_analyze);
            SELECT to_jsonb(c) INTO v_config FROM @PART_CONFIG@ c WHERE c.parent_table = v_set;
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
        INSERT INTO @STATE@ AS s (parent_table, deferrals, deferred_since, last_deferred_at)
        VALUES (v_set, 1, clock_timestamp(), clock_timestamp())
        ON CONFLICT (parent_table) DO UPDATE
          SET deferrals = s.deferrals + 1, deferred_since = coalesce(s.deferred_since, excluded.deferred_since),
              last_deferred_at = excluded.last_deferred_at;
        v_deferred := v_deferred || v_set;
      ELSIF v_error IS NOT NULL THEN
        INSERT INTO @STATE@ AS s (parent_table, last_error, last_error_at)
        VALUES (v_set, v_error, clock_timestamp())
        ON CONFLICT (parent_table) DO UPDATE SET last_error = excluded.last_error, last_error_at = excluded.last_error_at;
      ELSIF NOT EXISTS (SELECT 1 FROM @PART_CONFIG@ c WHERE c.parent_table = v_set) THEN
        -- a sub-partition that retention dropped, with its configuration
        DELETE FROM @STATE@ WHERE parent_table = v_set;
      ELSE
        INSERT INTO @STATE@ AS s (parent_table, last_completed_at)
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
