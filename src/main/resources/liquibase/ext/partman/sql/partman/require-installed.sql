IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'pg_partman') THEN
  RAISE EXCEPTION 'pg_partman is not installed in this database (%)', current_database()
    USING HINT = 'Install it first: CREATE SCHEMA IF NOT EXISTS @SCHEMA_NAME@; CREATE EXTENSION pg_partman SCHEMA @SCHEMA_NAME@;';
END IF;
IF NOT has_schema_privilege(@SCHEMA@, 'USAGE')
   OR NOT (has_table_privilege(@PART_CONFIG@, 'SELECT') AND has_table_privilege(@PART_CONFIG@, 'INSERT') AND has_table_privilege(@PART_CONFIG@, 'UPDATE') AND has_table_privilege(@PART_CONFIG@, 'DELETE')) THEN
  RAISE EXCEPTION 'role % may not use pg_partman in schema %', current_user, @SCHEMA@
    USING HINT = 'As the owner: GRANT USAGE ON SCHEMA @SCHEMA_NAME@ TO <role>; GRANT ALL ON ALL TABLES IN SCHEMA @SCHEMA_NAME@ TO <role>; GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA @SCHEMA_NAME@ TO <role>;';
END IF;
