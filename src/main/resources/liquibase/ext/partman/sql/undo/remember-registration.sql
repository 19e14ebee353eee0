INSERT INTO @TABLE@ (change_key, parent_table, action)
VALUES (@CHANGE_KEY@, @PARENT@, 'registered')
ON CONFLICT (change_key, parent_table) DO NOTHING;
