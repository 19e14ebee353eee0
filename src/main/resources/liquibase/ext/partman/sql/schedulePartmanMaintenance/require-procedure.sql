IF @JOB_DATABASE@ = current_database() AND to_regprocedure(@SIGNATURE_TEXT@) IS NULL THEN
  RAISE EXCEPTION 'procedure % does not exist in database %, where the job would call it', @PROCEDURE_TEXT@, current_database()
    USING HINT = 'Install it first with installPartmanMaintenance schemaName="@SCHEMA_INSIDE_LITERAL@".';
END IF;
