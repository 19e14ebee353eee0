-- v_columns: what a copy writes (generated columns compute themselves); v_fields: those of a logged row r;
-- v_new_fields: those of the row a trigger sees.
SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum), string_agg('(f.r).' || quote_ident(a.attname), ', ' ORDER BY a.attnum),
       string_agg('NEW.' || quote_ident(a.attname), ', ' ORDER BY a.attnum)
  INTO v_columns, v_fields, v_new_fields
  FROM pg_catalog.pg_attribute a
  WHERE a.attrelid = v_table AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '';
-- The key the copy walks: the primary key, else a unique index on NOT NULL columns. v_key is a format string
-- whose argument is the row (t, (e.r), OLD); v_key_literal writes a row's key as SQL, to bound a slice with.
SELECT string_agg('%1$s.' || replace(quote_ident(a.attname), '%', '%%'), ', ' ORDER BY k.position),
       format('format(%L, %s)', format('ROW(%s)', string_agg('%L::' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY k.position)),
           string_agg(quote_ident(a.attname), ', ' ORDER BY k.position)),
       string_agg(quote_ident(a.attname), ', ' ORDER BY k.position)
  INTO v_key, v_key_literal, v_key_order
  FROM @KEY_INDEX@ u
  JOIN pg_catalog.pg_index i ON i.indexrelid = u.indexrelid,
  LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, position)
  JOIN pg_catalog.pg_attribute a ON a.attrelid = v_table AND a.attnum = k.attnum
  WHERE k.position <= i.indnkeyatts
  HAVING count(*) > 0;
