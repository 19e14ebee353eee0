(SELECT i.indexrelid FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class x ON x.oid = i.indexrelid
          JOIN pg_catalog.pg_am m ON m.oid = x.relam AND m.amname = 'btree'
          WHERE i.indrelid = @OF@ AND i.indisunique AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL
            AND NOT EXISTS (SELECT 1 FROM unnest(i.indkey::int2[]) c JOIN pg_catalog.pg_attribute ca ON ca.attrelid = @OF@ AND ca.attnum = c
                            WHERE NOT ca.attnotnull OR ca.attgenerated <> '')
          ORDER BY i.indisprimary DESC, i.indnkeyatts, i.indexrelid LIMIT 1)