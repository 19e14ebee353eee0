(t.tgfoid IN (coalesce(pg_catalog.to_regprocedure(format('%I.%I()', @SCHEMA@, @LOG_TABLE@))::oid, 0), coalesce(pg_catalog.to_regprocedure(format('%I.%I()', @SCHEMA@, @BACK@))::oid, 0)))
