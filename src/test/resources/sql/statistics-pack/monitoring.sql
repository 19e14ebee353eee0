-- Alert: every managed table that needs attention, and why (no rows = healthy).
SELECT parent_table, problems
FROM public.partman_health
WHERE NOT healthy;

-- The policies.
SELECT parent_table, partition_interval, premake, retention, retention_keep_table,
       infinite_time_partitions AS infinite
FROM partman.part_config
ORDER BY parent_table;

-- Partitions and their size, per table.
SELECT parent.relname AS parent_table, count(*) AS partitions,
       pg_size_pretty(sum(pg_relation_size(child.oid))) AS total_size
FROM pg_inherits i
JOIN pg_class parent ON i.inhparent = parent.oid
JOIN pg_class child ON i.inhrelid = child.oid
WHERE parent.relname IN ('statistics_daily_users', 'statistics_monthly_users', 'statistics_yearly_users')
GROUP BY parent.relname;

-- In the cron database: the jobs, and the last runs that failed.
SELECT jobid, jobname, schedule, command, active FROM cron.job ORDER BY jobid;
SELECT jobid, status, return_message, start_time, end_time
FROM cron.job_run_details
WHERE status = 'failed'
ORDER BY start_time DESC
LIMIT 10;

-- Runs of the last 24 hours by outcome.
SELECT status, count(*)
FROM cron.job_run_details
WHERE start_time > now() - interval '24 hours'
GROUP BY status;

-- DEFAULT partitions holding rows, from pg_partman itself.
SELECT * FROM partman.check_default();
