DO $partman$
BEGIN
IF to_regclass('"public"."partman_change_undo"') IS NULL THEN
  CREATE TABLE "public"."partman_change_undo" (
    change_key text NOT NULL,
    parent_table text NOT NULL,
    action text NOT NULL,
    previous jsonb,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (change_key, parent_table)
  );
END IF;
UPDATE "partman"."part_config" c
SET "retention" = r."retention",
    "retention_keep_table" = r."retention_keep_table",
    "retention_keep_index" = r."retention_keep_index"
FROM "public"."partman_change_undo" u
CROSS JOIN LATERAL jsonb_populate_record(NULL::"partman"."part_config", u.previous) r
WHERE u.change_key = 'setRetention::statistics_daily_users' AND u.parent_table = 'public.statistics_daily_users' AND c.parent_table = u.parent_table;
DELETE FROM "public"."partman_change_undo" WHERE change_key = 'setRetention::statistics_daily_users' AND parent_table = 'public.statistics_daily_users';
END;
$partman$