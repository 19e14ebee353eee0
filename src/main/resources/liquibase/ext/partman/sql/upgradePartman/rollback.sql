BEGIN
RAISE EXCEPTION 'liquibase-partman: upgradePartman to @TO_TEXT@ cannot be rolled back: pg_partman has no downgrade'
  USING HINT = 'Its configuration before the update is in ' || @BACKUP_TEXT@ || ' and ' || @BACKUP_SUB_TEXT@
               || '; going back takes a restore of the database from before the update.';
END;
