DECLARE
  v_name text := format('%I.%I', @SCHEMA@, @TABLE@);
  v_new_name text := format('%I.%I', @SCHEMA@, @NEW_TABLE@);
  v_old_name text := format('%I.%I', @SCHEMA@, @OLD_TABLE@);
  v_log text := format('%I.%I', @SCHEMA@, @LOG_TABLE@);
  v_table regclass;
  v_new regclass;
  v_kind text;
  v_control_type text;
  v_columns text;
  v_fields text;
  v_new_fields text;
  v_key text;
  v_key_literal text;
  v_key_order text;
  v_entries text;
  v_run_lock int := pg_catalog.hashtext('liquibase-partman partitionExistingTable');
  v_batch_size bigint := @BATCH_SIZE@;
  v_lock_timeout text := @LOCK_TIMEOUT@;
  v_lock_started timestamptz;
  v_holders text;
  v_start text := @START_PARTITION@;
  v_min text;
  v_high text;
  v_low text;
  v_cut text;
  v_slice text;
  v_copied text;
  v_partitions bigint;
  v_parent_start text;
  v_interval text;
  v_template text;
  v_replica "char";
  v_table_options text;
  v_partition_options text;
  v_index_label text;
  v_index_columns text;
  v_index_constraint boolean;
  v_index_name text;
  v_partition text;
  v_problems text;
  v_batch bigint[];
  v_rows bigint;
  v_copied_rows bigint := 0;
  v_slices int := 0;
  v_changes bigint := 0;
  v_changes_unlocked bigint;
  v_failure text;
  v_swapped boolean;
  v_oid oid;
  v_other oid;
  v_text text;
  v_other_text text;
  v_exists boolean;
  v_carry text[];
BEGIN
-- Each step commits, which works only outside a transaction block: inside one this fails at once, before anything is done.
COMMIT;
@CHECKS@
@SESSION@
@INSPECT@
@RUN_LOCK@
@LEFTOVERS@
@CREATE@
@START_LOGGING@
@COPY@
@SWAP@
PERFORM pg_catalog.pg_advisory_unlock(v_run_lock, pg_catalog.hashtext(v_name));
RAISE NOTICE 'liquibase-partman: partitionExistingTable %: % rows copied in % slices, % logged changes applied (% under the swap''s lock); % is partitioned, the plain table is kept as % for the rollback',
  @PARENT@, v_copied_rows, v_slices, v_changes, v_changes - v_changes_unlocked, v_name, v_old_name;
END;
