IF cardinality(v_created) > 0 THEN
  EXECUTE 'ANALYZE ' || (SELECT string_agg(format('%I.%I', @SCHEMA@, n), ', ') FROM unnest(v_created) n) || ', ' || v_default_name;
END IF;
