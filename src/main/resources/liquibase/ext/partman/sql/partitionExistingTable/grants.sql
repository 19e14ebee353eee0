-- @TO@ gets exactly the grants of @FROM@ (@KIND@; not its owner's own, on it and on its columns, with their grant
-- options): what default privileges or earlier grants gave @TO@ is revoked first.
FOR v_text IN SELECT DISTINCT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_catalog.pg_get_userbyid(a.grantee)) END
    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_attribute t ON t.attrelid = c.oid AND t.attnum > 0,
         LATERAL pg_catalog.aclexplode(CASE WHEN t.attnum = 1 THEN c.relacl END || t.attacl) a
    WHERE c.oid = (@TO@)::regclass AND a.grantee <> c.relowner LOOP
  EXECUTE format('REVOKE ALL ON @KIND@ %s FROM %s CASCADE', @TO@, v_text);
END LOOP;
FOR v_text IN
    SELECT format('GRANT %s ON @KIND@ %s TO %s%s', a.privilege_type, @TO@,
             CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_catalog.pg_get_userbyid(a.grantee)) END,
             CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)
      FROM pg_catalog.pg_class c, LATERAL pg_catalog.aclexplode(c.relacl) a WHERE c.oid = @FROM@ AND a.grantee <> c.relowner
    UNION ALL
    SELECT format('GRANT %s (%I) ON @KIND@ %s TO %s%s', a.privilege_type, t.attname, @TO@,
             CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_catalog.pg_get_userbyid(a.grantee)) END,
             CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)
      FROM pg_catalog.pg_attribute t, LATERAL pg_catalog.aclexplode(t.attacl) a
      WHERE t.attrelid = @FROM@ AND t.attnum > 0 AND NOT t.attisdropped AND t.attacl IS NOT NULL LOOP
  EXECUTE v_text;
END LOOP;
