-- pg_partman makes no partition when the name it gives one is taken (on 4.7, which shortens names by characters,
-- multibyte table names give names PostgreSQL then cuts alike): stop rather than ask again for ever.
IF v_high IS NOT DISTINCT FROM v_low THEN
  RAISE EXCEPTION 'partitionExistingTable: pg_partman made no partition of % next to % (the name it gives it is probably taken, or cut to one already given)',
    @NEW_PARENT@, v_high
    USING HINT = 'A table name with multibyte characters near the length limit gives pg_partman 4.7 partition names cut alike: use a shorter name. Nothing of the table was changed; the next run removes what this one made.';
END IF;
v_low := v_high;
