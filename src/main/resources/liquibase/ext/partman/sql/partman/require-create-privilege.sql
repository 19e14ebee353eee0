CASE WHEN NOT has_schema_privilege(@SCHEMA@, 'CREATE') THEN format('GRANT CREATE ON SCHEMA %I TO %I;', @SCHEMA@, current_user) END,
