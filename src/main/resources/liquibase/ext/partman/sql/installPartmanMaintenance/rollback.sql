DECLARE
  v_previous jsonb;
BEGIN
@CREATE_UNDO_TABLE@
@RECALL@
IF NOT FOUND THEN
  RAISE NOTICE 'liquibase-partman: no record of % before this change; it is left as it is', @PROCEDURE_TEXT@;
ELSE
  @RESTORE@
END IF;
@FORGET@
END;
