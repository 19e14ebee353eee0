UPDATE @PART_CONFIG@ c
SET @ASSIGNMENTS@
FROM @TABLE@ u
CROSS JOIN LATERAL jsonb_populate_record(NULL::@PART_CONFIG@, u.previous) r
WHERE u.change_key = @CHANGE_KEY@ AND u.parent_table = @PARENT@ AND c.parent_table = u.parent_table;
