-- pg_partman sets nothing for the default replica identity; the swap spares itself the call.
IF (SELECT relreplident FROM pg_catalog.pg_class WHERE oid = v_parent) <> 'd' THEN
  PERFORM @INHERIT_REPLICA_IDENTITY@(@SCHEMA@, @TABLE@, v_name);
END IF;
