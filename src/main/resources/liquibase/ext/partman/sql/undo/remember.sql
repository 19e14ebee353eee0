INSERT INTO @TABLE@ (change_key, parent_table, action, previous)
VALUES (@CHANGE_KEY@, @SUBJECT@, @ACTION@, @PREVIOUS@)
ON CONFLICT (change_key, parent_table) DO NOTHING;
