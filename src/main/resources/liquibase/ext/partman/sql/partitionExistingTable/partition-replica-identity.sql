-- pg_partman before 5.1 gives a partition it makes no replica identity: the partitioned table's, with USING INDEX the
-- partition's index of the partitioned table's.
IF v_replica <> 'd' THEN
  EXECUTE format('ALTER TABLE %s REPLICA IDENTITY %s', v_partition, CASE v_replica WHEN 'f' THEN 'FULL' WHEN 'n' THEN 'NOTHING'
      ELSE format('USING INDEX %I', (SELECT x.relname FROM pg_catalog.pg_index p JOIN pg_catalog.pg_inherits h ON h.inhparent = p.indexrelid
                                       JOIN pg_catalog.pg_index c ON c.indexrelid = h.inhrelid JOIN pg_catalog.pg_class x ON x.oid = c.indexrelid
                                     WHERE p.indrelid = v_new AND p.indisreplident AND c.indrelid = v_partition::regclass)) END);
END IF;
