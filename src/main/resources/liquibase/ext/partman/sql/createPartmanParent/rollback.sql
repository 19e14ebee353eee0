@DECLARATIONS@
BEGIN
@CREATE_UNDO_TABLE@
IF @REGISTERED_BY_THIS_CHANGE@ THEN
  @UNREGISTER@
  @FORGET@
ELSE
  RAISE NOTICE 'liquibase-partman: % was not registered by this change; its pg_partman registration is left as it is', @PARENT@;
END IF;
END;
