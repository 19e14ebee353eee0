IF v_config.publications IS NOT NULL THEN
  PERFORM @APPLY_PUBLICATIONS@(@PARENT@, @SCHEMA@, v_names[k]);
END IF;
