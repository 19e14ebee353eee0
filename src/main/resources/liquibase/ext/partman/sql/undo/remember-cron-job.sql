INSERT INTO @TABLE@ (change_key, parent_table, action, previous)
VALUES (@CHANGE_KEY@, @JOB_NAME@, 'cron job', @CURRENT_ROW@)
ON CONFLICT (change_key, parent_table) DO NOTHING;
