DECLARE
  v_template text;
