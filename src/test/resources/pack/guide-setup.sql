-- The operations guide's set-up, run by hand before the pack existed.
-- BrownfieldAdoptionTest runs it after replacing: public. by the test's schema (and a search_path
-- for the unqualified CREATE TABLEs), p_type 'range' by 'native' on pg_partman 4, and the job's
-- name and schedule by the test's own (see the test for why).

-- §3.1
CREATE EXTENSION IF NOT EXISTS pg_cron;
CREATE SCHEMA IF NOT EXISTS partman;
CREATE EXTENSION IF NOT EXISTS pg_partman WITH SCHEMA partman;

-- §3.2, and the same for the monthly and yearly tables of §4
CREATE TABLE statistics_daily_users (
    tenant_id UUID NOT NULL,
    stat_date DATE NOT NULL,
    user_id UUID NOT NULL,
    last_used_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (tenant_id, stat_date, user_id)
) PARTITION BY RANGE (stat_date);

CREATE INDEX idx_daily_users_tenant_date
    ON statistics_daily_users(tenant_id, stat_date);

CREATE TABLE statistics_monthly_users (
    tenant_id UUID NOT NULL,
    stat_month DATE NOT NULL,
    user_id UUID NOT NULL,
    last_used_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (tenant_id, stat_month, user_id)
) PARTITION BY RANGE (stat_month);

CREATE TABLE statistics_yearly_users (
    tenant_id UUID NOT NULL,
    stat_year DATE NOT NULL,
    user_id UUID NOT NULL,
    last_used_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (tenant_id, stat_year, user_id)
) PARTITION BY RANGE (stat_year);

-- §3.3
SELECT partman.create_parent(
    p_parent_table => 'public.statistics_daily_users',
    p_control => 'stat_date',
    p_type => 'range',
    p_interval => '1 month',
    p_premake => 3,
    p_start_partition => '2024-01-01'
);

UPDATE partman.part_config
SET infinite_time_partitions = true,
    retention = '6 months',
    retention_keep_table = false,
    retention_keep_index = false
WHERE parent_table = 'public.statistics_daily_users';

-- §4.2, monthly and yearly
SELECT partman.create_parent(
    p_parent_table => 'public.statistics_monthly_users',
    p_control => 'stat_month',
    p_type => 'range',
    p_interval => '1 year',
    p_premake => 2,
    p_start_partition => '2024-01-01'
);

UPDATE partman.part_config
SET retention = '3 years',
    retention_keep_table = false
WHERE parent_table = 'public.statistics_monthly_users';

SELECT partman.create_parent(
    p_parent_table => 'public.statistics_yearly_users',
    p_control => 'stat_year',
    p_type => 'range',
    p_interval => '1 year',
    p_premake => 2,
    p_start_partition => '2024-01-01'
);

UPDATE partman.part_config
SET retention = '5 years',
    retention_keep_table = false
WHERE parent_table = 'public.statistics_yearly_users';

-- §3.4
SELECT cron.schedule(
    'partman-maintenance',
    '0 * * * *',
    $$CALL partman.run_maintenance_proc()$$
);
