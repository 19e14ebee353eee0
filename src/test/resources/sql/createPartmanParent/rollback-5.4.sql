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
IF EXISTS (SELECT 1 FROM "public"."partman_change_undo" WHERE change_key = 'createPartmanParent::statistics_daily_users' AND parent_table = 'public.statistics_daily_users' AND action = 'registered') THEN
  PERFORM "partman"."config_cleanup"(p_parent_table := 'public.statistics_daily_users', p_template_table := true);
  DELETE FROM "public"."partman_change_undo" WHERE change_key = 'createPartmanParent::statistics_daily_users' AND parent_table = 'public.statistics_daily_users';
ELSE
  RAISE NOTICE 'liquibase-partman: % was not registered by this change; its pg_partman registration is left as it is', 'public.statistics_daily_users';
END IF;
END;
$partman$