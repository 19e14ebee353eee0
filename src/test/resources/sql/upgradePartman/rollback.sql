DO $partman$
BEGIN
RAISE EXCEPTION 'liquibase-partman: upgradePartman to 5.2.4 cannot be rolled back: pg_partman has no downgrade'
  USING HINT = 'Its configuration before the update is in ' || '"public"."part_config_before_5_2_4"' || ' and ' || '"public"."part_config_sub_before_5_2_4"'
               || '; going back takes a restore of the database from before the update.';
END;
$partman$