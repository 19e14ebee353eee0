jsonb_build_object('procedure', pg_catalog.pg_get_functiondef(to_regprocedure(@SIGNATURE_TEXT@)), 'state_table', to_regclass(@STATE_TEXT@) IS NOT NULL)
