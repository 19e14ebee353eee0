EXECUTE format('CREATE TABLE %I.%I (LIKE %s @LIKE_OPTIONS@ INCLUDING INDEXES, '
    'CONSTRAINT @BOUNDS@ CHECK (%I IS NOT NULL AND %I >= %L::%s AND %I < %L::%s))%s',
    @SCHEMA@, @NAME@, v_parent_name, v_config.control, v_config.control, @LOW@, v_control_type,
    v_config.control, @HIGH@, v_control_type, v_tablespace);
-- Names the run, so that a killed run's partitions are found while they are not attached.
EXECUTE format('COMMENT ON CONSTRAINT @BOUNDS@ ON %I.%I IS %L', @SCHEMA@, @NAME@, v_run);
IF v_config.template_table IS NOT NULL THEN
  PERFORM @INHERIT_TEMPLATE_PROPERTIES@(@PARENT@, @SCHEMA@, @NAME@);
END IF;
IF v_config.inherit_privileges THEN
  PERFORM @APPLY_PRIVILEGES@(@SCHEMA@, @TABLE@, @SCHEMA@, @NAME@);
END IF;
@PUBLICATIONS@
