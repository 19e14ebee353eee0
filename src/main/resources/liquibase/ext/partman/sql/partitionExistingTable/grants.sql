-- @TO@ gets the grants of @FROM@ (not its owner's own), on the table and on its columns, with their grant options.
FOR v_text IN
    SELECT format('GRANT %s ON %s TO %s%s', a.privilege_type, @TO@,
             CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_catalog.pg_get_userbyid(a.grantee)) END,
             CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)
      FROM pg_catalog.pg_class c, LATERAL pg_catalog.aclexplode(c.relacl) a WHERE c.oid = @FROM@ AND a.grantee <> c.relowner
    UNION ALL
    SELECT format('GRANT %s (%I) ON %s TO %s%s', a.privilege_type, t.attname, @TO@,
             CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_catalog.pg_get_userbyid(a.grantee)) END,
             CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)
      FROM pg_catalog.pg_attribute t, LATERAL pg_catalog.aclexplode(t.attacl) a
      WHERE t.attrelid = @FROM@ AND t.attnum > 0 AND NOT t.attisdropped AND t.attacl IS NOT NULL LOOP
  EXECUTE v_text;
END LOOP;
