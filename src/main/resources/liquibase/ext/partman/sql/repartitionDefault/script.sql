DECLARE
  v_parent_name text := @PARENT_REGCLASS@;
  v_parent regclass;
  v_config record;
  v_kind text;
  v_default regclass;
  v_default_name text;
  v_default_relname text;
  v_control_type text;
  v_columns text;
  v_row text;
  v_fields text;
  v_narrow text;
  v_entries text;
  v_own text;
  v_tablespace text := '';
  v_run text := @RUN_PREFIX@ || pg_backend_pid();
  v_run_lock int := pg_catalog.hashtext('liquibase-partman repartitionDefault');
  v_cleaning text;
  v_staging text;
  v_fresh text;
  v_log text;
  v_function text;
  v_old text;
  v_batch_size bigint := @BATCH_SIZE@;
  v_fill_gaps boolean := @FILL_GAPS@;
  v_lock_timeout text := @LOCK_TIMEOUT@;
  -- What lock.sql waits for at first: 10 ms, or lockTimeout when it is shorter.
  v_first_lock_timeout text := @FIRST_LOCK_TIMEOUT@;
  v_lock_started timestamptz;
  v_holders text;
  v_busy boolean;
  v_holder_idle boolean;
  v_maintenance_started timestamptz;
  v_bounded regclass;
  v_leftovers regclass[];
  v_locking regclass[];
  v_pass int := 0;
  v_nulls bigint;
  v_infinite bigint;
  v_min text;
  v_max text;
  v_max_id numeric;
  v_child_max numeric;
  v_bound text;
  v_bounds text[];
  v_lows text[];
  v_highs text[];
  v_names text[];
  v_counts bigint[];
  v_step text;
  v_end text;
  v_name text;
  v_exists boolean;
  v_maintenance_was text;
  v_chunked boolean;
  v_problems text[];
  v_cuts text[];
  v_extend boolean;
  v_slice_lows text[];
  v_slice_highs text[];
  v_slice_rows bigint[];
  v_slice_key_lows text[];
  v_slice_key_highs text[];
  v_slice text;
  v_key text;
  v_key_order text;
  v_key_literal text;
  v_copied text;
  v_route text;
  v_target text;
  v_referenced text;
  v_partition text;
  v_constraint text;
  v_definition text;
  v_text text;
  v_net bigint;
  v_batch bigint[];
  v_planned bigint;
  v_locks bigint;
  v_indexes int;
  v_per_transaction int;
  v_slice_width int;
  v_slice_firsts int[];
  v_slice_lasts int[];
  v_saved_rows bigint;
  v_saved_sum0 numeric;
  v_saved_sum1 numeric;
  v_rows bigint;
  v_copied_rows bigint;
  v_changes bigint;
  v_changes_unlocked bigint;
  v_found_table regclass;
  v_found_row tid;
  v_rest bigint;
  v_copies int := 0;
  v_created text[] := '{}';
  v_failure text;
  v_swapped boolean;
  v_proof jsonb;
  v_moved_rows bigint;
  v_moved_sum0 numeric;
  v_moved_sum1 numeric;
  v_old_rows bigint;
  v_old_sum0 numeric;
  v_old_sum1 numeric;
  v_taken_lows text[];
  v_taken_highs text[];
  v_big bigint;
  v_chunk_rows numeric;
  v_target_lows text[];
  v_target_highs text[];
  v_target_names text[];
  v_target_counts bigint[];
  v_target_ranges int[];
  v_n int;
  v_chunks text[];
  v_chunk text;
  v_try int;
  v_chunk_name text;
  v_step_inserts text;
  v_step_placed text;
  v_chunk_low text;
  v_chunk_high text;
  v_split_ranges bigint;
  v_split_done bigint;
  v_steps int;
  v_step_ranges int;
  v_tries int;
  v_step_lows text[];
  v_step_highs text[];
  v_step_counts bigint[];
  v_step_names text[];
  v_step_end text;
  v_step_last boolean;
  v_step_started timestamptz;
  v_step_held interval;
  v_mismatch boolean;
  v_placed bigint;
BEGIN
-- Each step commits, which works only outside a transaction block: inside one this fails at once, before anything is done.
COMMIT;
IF current_setting('server_version_num')::int < 130000 THEN
  RAISE EXCEPTION 'repartitionDefault needs PostgreSQL 13 or later';
END IF;
@CHECKS@
@SESSION@
@INSPECT@
@RUN_LOCK@
@LEFTOVERS@
v_staging := format('%I.%I', @SCHEMA@, v_run);
v_fresh := format('%I.%I', @SCHEMA@, v_run || '_default');
v_log := format('%I.%I', @SCHEMA@, v_run || '_log');
v_function := format('%I.%I', @SCHEMA@, v_run);
v_cleaning := v_run;
LOOP
  v_pass := v_pass + 1;
  @START_LOGGING@
  @PLAN@
  @CHUNKS@
  @SLICES@
  @PARTITIONS@
  @COPY@
  @SWAP@
  @PROVE@
  @SPLIT@
  EXIT WHEN v_rest = 0;
END LOOP;
@ANALYZE@
IF v_config.constraint_cols IS NOT NULL AND cardinality(v_created) > 0 THEN
  PERFORM @APPLY_CONSTRAINTS@(p_parent_table := @PARENT@);
END IF;
PERFORM pg_catalog.pg_advisory_unlock(v_run_lock, v_parent::oid::bigint::bit(32)::int);
RAISE NOTICE 'liquibase-partman: repartitionDefault %: % new partition(s), % copies; % is empty',
  @PARENT@, cardinality(v_created), v_copies, v_default_name;
END;
