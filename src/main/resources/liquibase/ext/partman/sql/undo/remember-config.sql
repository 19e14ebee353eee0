INSERT INTO @TABLE@ (change_key, parent_table, action, previous)
SELECT @CHANGE_KEY@, c.parent_table, 'config', to_jsonb(c) FROM @PART_CONFIG@ c WHERE c.parent_table = @PARENT@
ON CONFLICT (change_key, parent_table) DO NOTHING;
