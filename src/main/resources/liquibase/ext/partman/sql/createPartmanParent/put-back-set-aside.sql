IF v_newest IS NOT NULL THEN
  FOR v_child IN
    SELECT k.oid FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class k ON k.oid = i.inhrelid
    WHERE i.inhparent = @REGCLASS@::regclass
      AND pg_catalog.pg_get_expr(k.relpartbound, k.oid) IN (v_newest_bound, CASE WHEN v_default IS NOT NULL THEN 'DEFAULT' END)
  LOOP
    EXECUTE format('ALTER TABLE %s DETACH PARTITION %s', @REGCLASS@::regclass, v_child.oid::regclass);
    EXECUTE format('DROP TABLE %s', v_child.oid::regclass);
  END LOOP;
  EXECUTE format('ALTER TABLE %s RENAME TO %I', v_newest::regclass, v_newest_name);
  EXECUTE format('ALTER TABLE %s ATTACH PARTITION %s %s', @REGCLASS@::regclass, v_newest::regclass, v_newest_bound);
  IF v_default IS NOT NULL THEN
    EXECUTE format('ALTER TABLE %s RENAME TO %I', v_default::regclass, v_default_name);
    EXECUTE format('ALTER TABLE %s ATTACH PARTITION %s DEFAULT', @REGCLASS@::regclass, v_default::regclass);
  END IF;
END IF;
