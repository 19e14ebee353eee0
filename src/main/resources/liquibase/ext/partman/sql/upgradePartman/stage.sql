EXECUTE format('ALTER EXTENSION pg_partman UPDATE TO %L', @VERSION@);
COMMIT;
RAISE NOTICE 'liquibase-partman: pg_partman updated to %', @VERSION@;
