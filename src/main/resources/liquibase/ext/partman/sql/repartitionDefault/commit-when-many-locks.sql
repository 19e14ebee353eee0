-- Tables made, dropped or analyzed one after another are committed a few at a time: each holds one or several locks (its
-- table, TOAST table, indexes, type) until the transaction ends, and many in one transaction would go past max_locks_per_transaction.
IF (SELECT count(*) FROM pg_catalog.pg_locks WHERE pid = pg_catalog.pg_backend_pid()) > @MAKE_LOCKS@ THEN
  @COMMIT@
  @AFTER_COMMIT@
END IF;
