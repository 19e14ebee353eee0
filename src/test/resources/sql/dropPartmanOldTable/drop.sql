DO $partman$
DECLARE
  v_name text := format('%I.%I', 'public', 'statistics_daily_users');
  v_old_name text := format('%I.%I', 'public', 'statistics_daily_users_partman_old');
  v_table regclass := to_regclass(format('%I.%I', 'public', 'statistics_daily_users'));
  v_old regclass := to_regclass(format('%I.%I', 'public', 'statistics_daily_users_partman_old'));
  -- The write-back function: the conversion's triggers are those calling it (a user's trigger may have their names).
  v_back regprocedure := to_regprocedure(format('%I.%I()', 'public', 'statistics_daily_users_partman_back'));
  -- The view that keeps the columns the write-back writes from being dropped or retyped.
  v_columns_view regclass := to_regclass(format('%I.%I', 'public', 'statistics_daily_users_partman_cols'));
  v_trigger text;
  v_locked text;
  v_lock_timeout text := '100ms';
  v_lock_started timestamptz;
BEGIN
IF v_table IS NULL THEN
  RAISE EXCEPTION 'dropPartmanOldTable: table % does not exist', v_name;
END IF;
-- Before its swap, and after its rollback, a conversion's table is plain: the old table is then the only copy.
IF (SELECT relkind FROM pg_catalog.pg_class WHERE oid = v_table) <> 'p' THEN
  RAISE EXCEPTION 'dropPartmanOldTable: % is not partitioned, so it is not a table partitionExistingTable converted', v_name
    USING HINT = 'Put dropPartmanOldTable in a changeset after the one that converts the table; after a rollback of the conversion there is nothing to drop.';
END IF;
IF v_old IS NOT NULL AND (SELECT relkind FROM pg_catalog.pg_class WHERE oid = v_old) <> 'r' THEN
  RAISE EXCEPTION 'dropPartmanOldTable: % is not the plain table a conversion of % kept; nothing is dropped', v_old_name, v_name;
END IF;
-- Idempotent: a rerun, or a conversion whose old table is gone already, finds nothing left and changes nothing.
IF v_old IS NULL AND v_back IS NULL AND v_columns_view IS NULL THEN
  RAISE NOTICE 'liquibase-partman: dropPartmanOldTable %: nothing to drop: no %, no function %.%() and no view %.% (dropped already, or not converted by partitionExistingTable)',
    'public.statistics_daily_users', v_old_name, quote_ident('public'), quote_ident('statistics_daily_users_partman_back'), quote_ident('public'), quote_ident('statistics_daily_users_partman_cols');
  RETURN;
END IF;
-- A conversion or its rollback running on the table holds this key for its whole run.
IF NOT pg_catalog.pg_try_advisory_xact_lock(pg_catalog.hashtext('liquibase-partman partitionExistingTable'), pg_catalog.hashtext(v_name)) THEN
  RAISE EXCEPTION 'dropPartmanOldTable: a partitionExistingTable, or its rollback, is running on %', v_name
    USING HINT = 'Run this again when it is done.';
END IF;
-- Both tables in one statement, the partitions with their parent: each try is one wait of at most lockTimeout, which
-- is all queries queued behind it wait, and the drops after it wait for nothing.
v_locked := concat_ws(', ', v_name, CASE WHEN v_old IS NOT NULL THEN 'ONLY ' || v_old_name END);
-- lock_timeout stays at lockTimeout until the transaction ends: whatever else it waits for while it holds the
-- lock fails after lockTimeout rather than keep the application waiting behind it.
v_lock_started := clock_timestamp();
LOOP
  BEGIN
    PERFORM set_config('lock_timeout', v_lock_timeout, true);
    EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', v_locked);
    EXIT;
  EXCEPTION WHEN lock_not_available THEN
    IF clock_timestamp() - v_lock_started > interval '1 minute' THEN
      RAISE EXCEPTION 'dropPartmanOldTable could not lock % within a minute (lockTimeout %); sessions holding it: %',
        v_name, v_lock_timeout, (SELECT string_agg(DISTINCT l.pid::text, ', ') FROM pg_catalog.pg_locks l
          WHERE l.relation = v_table AND l.granted AND l.pid <> pg_backend_pid())
        USING HINT = 'Run it again when those sessions are done, or raise lockTimeout.';
    END IF;
    PERFORM pg_sleep(0.01 + random() * 0.04);
  END;
END LOOP;
-- Dropping the row trigger on the parent drops its clones on the partitions.
FOR v_trigger IN SELECT tgname FROM pg_catalog.pg_trigger WHERE tgrelid = v_table AND tgfoid = v_back LOOP
  EXECUTE format('DROP TRIGGER %I ON %s', v_trigger, v_name);
END LOOP;
EXECUTE format('DROP FUNCTION IF EXISTS %I.%I()', 'public', 'statistics_daily_users_partman_back');
-- A conversion by an earlier snapshot of this extension made no such view.
EXECUTE format('DROP VIEW IF EXISTS %I.%I', 'public', 'statistics_daily_users_partman_cols');
-- Without CASCADE: what a user made on the old table since (a view, a foreign key to it) stops the drop, and all of it.
IF v_old IS NOT NULL THEN
  EXECUTE format('DROP TABLE %s', v_old_name);
END IF;
RAISE NOTICE 'liquibase-partman: dropPartmanOldTable %: dropped %, the triggers partman_back and partman_back_truncate, their function and the view %.% that kept their columns; the conversion is final',
  'public.statistics_daily_users', v_old_name, quote_ident('public'), quote_ident('statistics_daily_users_partman_cols');
END;
$partman$