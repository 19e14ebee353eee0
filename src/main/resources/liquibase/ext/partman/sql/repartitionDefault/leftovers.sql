-- A killed run's trigger, tables and function hold copies only: its rows are still in the DEFAULT. Nothing else runs
-- for this table (the run lock), so whatever a run left belongs to a run that has ended, this session's included.
FOREACH v_cleaning IN ARRAY ARRAY(SELECT DISTINCT substring(tgname from '^' || @RUN_PREFIX@ || '[0-9]+') FROM pg_catalog.pg_trigger
    WHERE tgrelid = v_default AND starts_with(tgname, @RUN_PREFIX@)) LOOP
  @CLEAN_UP@
  RAISE NOTICE 'liquibase-partman: repartitionDefault %: removed what an interrupted run left (%)', @PARENT@, v_cleaning;
  @COMMIT@
END LOOP;
-- A run killed after its swap left the old DEFAULT, unproven.
@PROVE@
-- A run killed after its swap, before its chunks were split.
@SPLIT@
-- Bounds constraints left on attached partitions by a run killed right after its swap.
@DROP_BOUNDS@
