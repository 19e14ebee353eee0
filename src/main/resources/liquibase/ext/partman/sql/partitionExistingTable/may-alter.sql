-- The swap renames the tables and makes, drops and changes their triggers and policies: what only their owner may do.
SELECT string_agg(format('%I.%I', n.nspname, c.relname), ', ' ORDER BY c.oid) INTO v_problems
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.oid = ANY (@RELATIONS@) AND NOT pg_catalog.pg_has_role(c.relowner, 'USAGE');
IF v_problems IS NOT NULL THEN
  RAISE EXCEPTION '@CHANGE@: % may not rename or alter %, which only its owner may', current_user, v_problems
    USING HINT = 'Run it as the owner of the table (or a member of the owning role, or a superuser).';
END IF;
