DO $partman$
DECLARE
  v_template text;
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
IF EXISTS (SELECT 1 FROM "public"."partman_change_undo" WHERE change_key = 'createPartmanParent::statistics_daily_users' AND parent_table = 'public.statistics_daily_users' AND action = 'registered') THEN
  DELETE FROM "partman"."part_config_sub" WHERE sub_parent = 'public.statistics_daily_users';
  DELETE FROM "partman"."part_config" WHERE parent_table = 'public.statistics_daily_users' RETURNING template_table INTO v_template;
  IF v_template IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "partman"."part_config" WHERE template_table = v_template) THEN
    EXECUTE format('DROP TABLE IF EXISTS %I.%I', split_part(v_template, '.', 1), split_part(v_template, '.', 2));
  END IF;
  DELETE FROM "public"."partman_change_undo" WHERE change_key = 'createPartmanParent::statistics_daily_users' AND parent_table = 'public.statistics_daily_users';
ELSE
  RAISE NOTICE 'liquibase-partman: % was not registered by this change; its pg_partman registration is left as it is', 'public.statistics_daily_users';
END IF;
END;
$partman$