-- This pg_partman gives each partition it makes the replica identity index of the parent by the parent index's own
-- name, which no index of a partition has (fixed in 5.2.3): every partition it would make fails.
IF (SELECT relreplident FROM pg_catalog.pg_class WHERE oid = @OF@) = 'i' THEN
  RAISE EXCEPTION '@CHANGE@: the replica identity of % is an index, which pg_partman @VERSION@ cannot give to the partitions it makes', @NAME@
    USING HINT = 'Upgrade pg_partman to 5.2.3 or later (upgradePartman), or give the table REPLICA IDENTITY FULL (or DEFAULT), then run this again.';
END IF;
