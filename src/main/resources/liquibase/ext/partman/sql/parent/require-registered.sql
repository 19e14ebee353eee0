IF NOT EXISTS (SELECT 1 FROM @PART_CONFIG@ WHERE parent_table = @PARENT@) THEN
  RAISE EXCEPTION 'table @NAME@ is not managed by pg_partman' USING HINT = 'Register it first with a createPartmanParent change.';
END IF;
