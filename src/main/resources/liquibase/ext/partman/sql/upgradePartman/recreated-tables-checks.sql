-- The 4.x -> 5.0 update recreates part_config and part_config_sub, refuses trigger-based sets and
-- leaves sets 5.x does not maintain.
SELECT 'trigger-based sets, which pg_partman 5 refuses to update: ' || string_agg(t.parent_table, ', ' ORDER BY t.parent_table)
       || ' (migrate them to native partitioning first, as pg_partman''s documentation describes)'
INTO v_found
FROM (SELECT parent_table FROM @PART_CONFIG@ WHERE partition_type = 'partman'
      UNION SELECT sub_parent FROM @PART_CONFIG_SUB@ WHERE sub_partition_type = 'partman') t(parent_table);
v_problems := v_problems || v_found;
SELECT string_agg(format('%s is %s, which pg_partman 5 does not maintain: make it again as a ''%s'' set before the update '
                         || '(pg_partman''s 5.0.1 upgrade guide)', parent_table,
                         CASE WHEN datetime_string = 'IYYY"w"IW' THEN 'ISO-weekly' ELSE 'quarterly' END,
                         CASE WHEN datetime_string = 'IYYY"w"IW' THEN '1 week' ELSE '3 months' END), '; ' ORDER BY parent_table)
INTO v_found
FROM @PART_CONFIG@
WHERE datetime_string IN ('IYYY"w"IW', 'YYYY"q"Q');
v_problems := v_problems || v_found;
SELECT 'objects depending on pg_partman''s objects, which the 5.0 update drops and recreates: ' || string_agg(d.dependent, ', ')
       || ' (drop them before the update and create them again after; the health view of liquibase-partman''s pack '
       || 'depends on none from its changeset health-view-via-function on)'
INTO v_found
FROM (
  @DEPENDENTS@
) d;
v_problems := v_problems || v_found;
