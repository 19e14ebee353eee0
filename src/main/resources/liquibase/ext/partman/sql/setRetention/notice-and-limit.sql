DECLARE
  v_count bigint;
  v_children text;
  v_action text;
BEGIN
  SELECT count(*), string_agg(format('%s [%s, %s) ~%s rows', child, from_bound, to_bound, estimated_rows), '; ')
    INTO v_count, v_children FROM (
@PREVIEW_QUERY@
) preview;
  SELECT CASE WHEN retention_schema IS NOT NULL THEN 'move to schema ' || retention_schema
              WHEN retention_keep_table THEN 'detach' ELSE 'drop' END
    INTO v_action FROM @PART_CONFIG@ WHERE parent_table = @PARENT@;
  IF v_count > 0 THEN
    RAISE NOTICE 'liquibase-partman: with retention %, the next maintenance will % % partition(s) of %: %', @RETENTION@, v_action, v_count, @PARENT@, v_children;
  END IF;
  @LIMIT@
END;
