IF to_regclass(@STATE_TEXT@) IS NULL THEN
  CREATE TABLE @STATE@ (
    parent_table text PRIMARY KEY,
    last_completed_at timestamptz,
    deferrals integer NOT NULL DEFAULT 0,
    deferred_since timestamptz,
    last_deferred_at timestamptz,
    last_error text,
    last_error_at timestamptz
  );
END IF;
