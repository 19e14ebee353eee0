IF v_template IS NOT NULL AND NOT EXISTS (SELECT 1 FROM @PART_CONFIG@ WHERE template_table = v_template) THEN
  EXECUTE format('DROP TABLE IF EXISTS %I.%I', split_part(v_template, '.', 1), split_part(v_template, '.', 2));
END IF;
