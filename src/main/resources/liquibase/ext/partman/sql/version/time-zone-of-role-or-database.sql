SELECT substr(c, strpos(c, '=') + 1)
FROM pg_catalog.pg_db_role_setting s, unnest(s.setconfig) AS c
WHERE lower(split_part(c, '=', 1)) = 'timezone'
  AND s.setdatabase IN (0, (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database()))
  AND s.setrole IN (0, (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = current_user))
ORDER BY (s.setrole <> 0) DESC, (s.setdatabase <> 0) DESC
LIMIT 1
