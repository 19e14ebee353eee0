IF EXISTS (SELECT 1 FROM pg_catalog.pg_class c
           WHERE (c.oid = @REGCLASS@::regclass
                  OR c.oid IN (SELECT inhrelid FROM pg_catalog.pg_inherits WHERE inhparent = @REGCLASS@::regclass))
             AND c.relowner IS DISTINCT FROM (SELECT nspowner FROM pg_catalog.pg_namespace WHERE nspname = @SCHEMA@)) THEN
  RAISE EXCEPTION 'setRetention.retentionSchema: schema % must exist and be owned by the role that owns % and its partitions (%): pg_partman 5.5 moves partitions only into such a schema', @SCHEMA@, @PARENT@, pg_catalog.pg_get_userbyid((SELECT relowner FROM pg_catalog.pg_class WHERE oid = @REGCLASS@::regclass))
    USING HINT = format('CREATE SCHEMA IF NOT EXISTS %1$I; ALTER SCHEMA %1$I OWNER TO %2$I;', @SCHEMA@, pg_catalog.pg_get_userbyid((SELECT relowner FROM pg_catalog.pg_class WHERE oid = @REGCLASS@::regclass)));
END IF;
