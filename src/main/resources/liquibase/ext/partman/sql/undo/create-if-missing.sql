IF to_regclass(@TABLE_TEXT@) IS NULL THEN
  CREATE TABLE @TABLE@ (
    change_key text NOT NULL,
    parent_table text NOT NULL,
    action text NOT NULL,
    previous jsonb,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (change_key, parent_table)
  );
END IF;
