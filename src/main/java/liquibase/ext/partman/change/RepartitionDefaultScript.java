package liquibase.ext.partman.change;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import liquibase.ext.partman.sql.ParentTable;
import liquibase.ext.partman.sql.SqlText;
import liquibase.ext.partman.version.PartmanTarget;

/**
 * The PL/pgSQL of {@link RepartitionDefaultChange}, in one place.
 * <p>
 * Each batch of child ranges is moved in two transactions. The first only adds a NOT VALID check
 * constraint to the DEFAULT that refuses new rows of those ranges (a brief ACCESS EXCLUSIVE lock).
 * The second creates the children detached, each with a check constraint on its bounds, moves the
 * rows (DELETE from DEFAULT and INSERT into the children in one statement), validates the DEFAULT's
 * constraint under a lock that lets readers and writers through, and only then locks the parent
 * and the DEFAULT ACCESS EXCLUSIVE to ATTACH: both constraints prove to PostgreSQL that neither
 * table needs a scan, so queries wait for catalog updates only, whatever the size of the DEFAULT.
 * Outside a transaction (runInTransaction="false") each transaction commits; inside one the same
 * steps run without COMMIT.
 */
final class RepartitionDefaultScript {

    /** Prefix of the DEFAULT's temporary constraint; the backend's pid follows, to tell stale from running. */
    static final String PENDING_CONSTRAINT_PREFIX = "partman_repartition_";
    /** The temporary bounds constraint of a child until it is attached. */
    static final String BOUNDS_CONSTRAINT = "partman_repartition_bounds";
    static final int DEFAULT_BATCH_SIZE = 100_000;
    static final String DEFAULT_LOCK_TIMEOUT = "100ms";

    private static final Pattern PLACEHOLDER = Pattern.compile("(?m)^( *)@([A-Z_]+)@\\n|@([A-Z_]+)@");

    private final PartmanTarget target;
    private final ParentTable parent;
    private final int batchSize;
    private final String lockTimeout;
    private final boolean analyze;
    private final boolean commitBetweenBatches;

    RepartitionDefaultScript(PartmanTarget target, ParentTable parent, Integer batchSize, String lockTimeout,
                             Boolean analyze, boolean commitBetweenBatches) {
        this.target = target;
        this.parent = parent;
        this.batchSize = batchSize == null ? DEFAULT_BATCH_SIZE : batchSize;
        this.lockTimeout = lockTimeout == null ? DEFAULT_LOCK_TIMEOUT : lockTimeout.trim();
        this.analyze = Boolean.TRUE.equals(analyze);
        this.commitBetweenBatches = commitBetweenBatches;
    }

    String sql() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("CHECKS", PartmanScripts.requirePartmanInstalled(target) + parent.requirePartitioned()
                + parent.requireRegistered(target.partmanObject("part_config")));
        values.put("PARENT", parent.partmanName());
        values.put("PARENT_REGCLASS", parent.regclassText());
        values.put("SCHEMA", SqlText.literal(parent.schema()));
        values.put("TABLE", SqlText.literal(parent.table()));
        values.put("BATCH_SIZE", Integer.toString(batchSize));
        values.put("LOCK_TIMEOUT", SqlText.literal(lockTimeout));
        values.put("PENDING_PREFIX", SqlText.literal(PENDING_CONSTRAINT_PREFIX));
        values.put("BOUNDS", BOUNDS_CONSTRAINT);
        values.put("LIKE_OPTIONS", target.childTableLikeOptions());
        values.put("SESSION", session());
        values.put("COMMIT", commitBetweenBatches ? "COMMIT;\n" + session() : "");
        values.put("LOCK_DEFAULT", lock(false));
        values.put("LOCK_FOR_ATTACH", lock(true));
        for (String function : new String[] {"part_config", "part_config_sub", "show_partition_name", "show_partitions",
                "check_control_type", "inherit_template_properties", "apply_privileges", "apply_constraints"}) {
            values.put(function.toUpperCase(Locale.ROOT), target.partmanObject(function));
        }
        values.put("PUBLICATIONS", !target.childJoinsPublications() ? "" : fill("""
                IF v_config.publications IS NOT NULL THEN
                  PERFORM @APPLY_PUBLICATIONS@(@PARENT@, @SCHEMA@, v_names[k]);
                END IF;
                """, values, "APPLY_PUBLICATIONS", target.partmanObject("apply_publications")));
        values.put("REPLICA_IDENTITY", !target.childInheritsReplicaIdentity() ? "" : fill("""
                PERFORM @INHERIT_REPLICA_IDENTITY@(@SCHEMA@, @TABLE@, v_names[k]);
                """, values, "INHERIT_REPLICA_IDENTITY", target.partmanObject("inherit_replica_identity")));
        values.put("ANALYZE", !analyze ? "" : fill("""
                IF cardinality(v_created) > 0 THEN
                  EXECUTE 'ANALYZE ' || (SELECT string_agg(format('%I.%I', @SCHEMA@, n), ', ') FROM unnest(v_created) n) || ', ' || v_default_name;
                END IF;
                """, values));
        return SqlText.doBlock(fill(TEMPLATE, values));
    }

    /** Runs every pg_partman call in the zone maintenance uses, and reads dates as ISO (bounds go through text). */
    private String session() {
        return PartmanScripts.switchToTimeZone(target, true)
                + "PERFORM set_config('DateStyle', 'ISO, YMD', true);\n";
    }

    /**
     * Waits for a lock at most lockTimeout at a time, so that readers queued behind the request
     * never wait longer than that; retries for up to a minute, then names the sessions in the way.
     * Before ATTACH the parent is locked ACCESS EXCLUSIVE as well, for the moment the catalog
     * changes take: PostgreSQL plans a query with the partitions it saw before waiting for a lock,
     * so a query planned while ATTACH held only the DEFAULT could run after COMMIT without the new
     * partition and miss the moved rows (seen with pg_partman's partition_data_proc too). Waiting
     * on the parent, queries plan after COMMIT instead.
     */
    private static String lock(boolean alsoParent) {
        return "v_lock_started := clock_timestamp();\n"
                + "LOOP\n"
                + "  BEGIN\n"
                + "    PERFORM set_config('lock_timeout', v_lock_timeout, true);\n"
                + (alsoParent ? "    EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', v_parent_name);\n" : "")
                + "    EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', v_default_name);\n"
                + "    PERFORM set_config('lock_timeout', v_saved_lock_timeout, true);\n"
                + "    EXIT;\n"
                + "  EXCEPTION WHEN lock_not_available THEN\n"
                + "    IF clock_timestamp() - v_lock_started > interval '1 minute' THEN\n"
                + "      RAISE EXCEPTION 'repartitionDefault could not lock % within a minute (lockTimeout %); sessions holding locks on it: %',\n"
                + "        " + (alsoParent ? "v_parent_name || ' and ' || v_default_name" : "v_default_name")
                + ", v_lock_timeout, (SELECT string_agg(DISTINCT l.pid::text, ', ') FROM pg_catalog.pg_locks l\n"
                + "          WHERE l.relation IN (" + (alsoParent ? "v_parent, v_default" : "v_default")
                + ") AND l.granted AND l.pid <> pg_backend_pid())\n"
                + "        USING HINT = 'Run it again when those sessions are done, or raise lockTimeout.';\n"
                + "    END IF;\n"
                + "    PERFORM pg_sleep(0.01 + random() * 0.04);\n"
                + "  END;\n"
                + "END LOOP;\n";
    }

    private static String fill(String template, Map<String, String> values, String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(values);
        more.put(name, value);
        return fill(template, more);
    }

    /** Replaces @NAME@; a placeholder alone on its line takes that line's indentation for every line it inserts. */
    private static String fill(String template, Map<String, String> values) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(2) != null ? matcher.group(2) : matcher.group(3);
            String value = values.get(name);
            if (value == null) {
                throw new IllegalStateException("no value for @" + name + "@");
            }
            if (matcher.group(2) != null) {
                value = SqlText.indent(value, matcher.group(1));
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static final String TEMPLATE = """
            DECLARE
              v_parent_name text := @PARENT_REGCLASS@;
              v_parent regclass;
              v_config record;
              v_kind text;
              v_default regclass;
              v_default_name text;
              v_control_type text;
              v_columns text;
              v_tablespace text := '';
              v_pending text := @PENDING_PREFIX@ || pg_backend_pid();
              v_batch_size bigint := @BATCH_SIZE@;
              v_lock_timeout text := @LOCK_TIMEOUT@;
              v_saved_lock_timeout text := current_setting('lock_timeout');
              v_lock_started timestamptz;
              v_stale text;
              v_pass int := 0;
              v_nulls bigint;
              v_infinite bigint;
              v_min text;
              v_max text;
              v_max_id numeric;
              v_child_max numeric;
              v_bound text;
              v_bounds text[];
              v_lows text[];
              v_highs text[];
              v_names text[];
              v_counts bigint[];
              v_name text;
              v_exists boolean;
              v_suffix text;
              v_problems text[];
              v_first int;
              v_last int;
              v_batch_rows bigint;
              v_planned bigint;
              v_moved_in_pass bigint;
              v_batch_moved bigint;
              v_moved bigint := 0;
              v_batches int := 0;
              v_created text[] := '{}';
              v_condition text;
              v_move text;
              v_failure text;
            BEGIN
            IF current_setting('server_version_num')::int < 120000 THEN
              RAISE EXCEPTION 'repartitionDefault needs PostgreSQL 12 or later (ATTACH PARTITION without an exclusive lock on the parent)';
            END IF;
            @CHECKS@
            @SESSION@
            v_parent := v_parent_name::regclass;
            SELECT * INTO v_config FROM @PART_CONFIG@ WHERE parent_table = @PARENT@;
            SELECT general_type INTO v_kind FROM @CHECK_CONTROL_TYPE@(@SCHEMA@, @TABLE@, v_config.control);
            IF v_kind IS DISTINCT FROM 'time' AND v_kind IS DISTINCT FROM 'id' OR v_config.epoch <> 'none'
               OR v_config.partition_type NOT IN ('native', 'range')
               OR EXISTS (SELECT 1 FROM @PART_CONFIG_SUB@ WHERE sub_parent = @PARENT@) THEN
              RAISE EXCEPTION 'repartitionDefault moves rows of range partitions on a time or integer column; % is partitioned by % (type %, epoch %, sub-partitioned: %)',
                @PARENT@, v_config.control, v_config.partition_type, v_config.epoch, EXISTS (SELECT 1 FROM @PART_CONFIG_SUB@ WHERE sub_parent = @PARENT@)
                USING HINT = 'Use pg_partman''s partition_data_proc for this table.';
            END IF;
            SELECT c.oid, format('%I.%I', n.nspname, c.relname) INTO v_default, v_default_name
              FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              WHERE i.inhparent = v_parent AND pg_catalog.pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT';
            IF v_default IS NULL THEN
              RAISE NOTICE 'liquibase-partman: repartitionDefault %: there is no DEFAULT partition, nothing to move', @PARENT@;
              RETURN;
            END IF;
            SELECT format_type(a.atttypid, a.atttypmod) INTO v_control_type FROM pg_catalog.pg_attribute a
              WHERE a.attrelid = v_parent AND a.attname = v_config.control;
            SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO v_columns FROM pg_catalog.pg_attribute a
              WHERE a.attrelid = v_parent AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '';
            SELECT ' TABLESPACE ' || quote_ident(t.spcname) INTO v_tablespace FROM pg_catalog.pg_class c
              JOIN pg_catalog.pg_tablespace t ON t.oid = c.reltablespace WHERE c.oid = v_parent;
            v_tablespace := coalesce(v_tablespace, '');

            -- A constraint left on the DEFAULT by a run that was killed refuses rows of its ranges until removed.
            FOREACH v_stale IN ARRAY ARRAY(SELECT conname FROM pg_catalog.pg_constraint
                WHERE conrelid = v_default AND starts_with(conname, @PENDING_PREFIX@)) LOOP
              IF substring(v_stale from '[0-9]+$')::int <> pg_backend_pid()
                 AND EXISTS (SELECT 1 FROM pg_catalog.pg_stat_activity WHERE pid = substring(v_stale from '[0-9]+$')::int) THEN
                RAISE EXCEPTION 'another repartitionDefault (backend %) is moving the rows of %', substring(v_stale from '[0-9]+$'), v_default_name
                  USING HINT = 'Wait for it to finish, or end that session with pg_terminate_backend() and run this again.';
              END IF;
              @LOCK_DEFAULT@
              EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', v_default_name, v_stale);
              RAISE NOTICE 'liquibase-partman: repartitionDefault %: removed constraint % left on % by an interrupted run', @PARENT@, v_stale, v_default_name;
              @COMMIT@
            END LOOP;

            LOOP
              v_pass := v_pass + 1;
              -- Plan: the child ranges that hold rows, as pg_partman would bound and name them.
              IF v_kind = 'time' THEN
                EXECUTE format('SELECT count(*) FILTER (WHERE %1$I IS NULL), count(*) FILTER (WHERE NOT isfinite(%1$I)), '
                    'min(%1$I) FILTER (WHERE isfinite(%1$I))::text, max(%1$I) FILTER (WHERE isfinite(%1$I))::text FROM ONLY %2$s',
                    v_config.control, v_default_name)
                  INTO v_nulls, v_infinite, v_min, v_max;
                v_bounds := '{}';
                IF v_min IS NOT NULL THEN
                  SELECT suffix_timestamp::text INTO v_bound FROM @SHOW_PARTITION_NAME@(@PARENT@, v_min);
                  LOOP
                    v_bounds := v_bounds || v_bound;
                    v_bound := (v_bound::timestamptz + v_config.partition_interval::interval)::text;
                    EXIT WHEN v_bound::timestamptz > v_max::timestamptz;
                    IF cardinality(v_bounds) >= 100000 THEN
                      RAISE EXCEPTION 'the rows of % span more than 100000 partitions (% from % to %)', v_default_name, v_config.control, v_min, v_max
                        USING HINT = 'Delete the rows with far-off values first.';
                    END IF;
                  END LOOP;
                END IF;
                -- The bounds are cast once (a sub-select), not once per row.
                EXECUTE format('SELECT array_agg($1[b] ORDER BY b), array_agg(n ORDER BY b) FROM '
                    '(SELECT width_bucket(%1$I, (SELECT $1::%3$s[])) AS b, count(*) AS n FROM ONLY %2$s WHERE isfinite(%1$I) GROUP BY 1) s',
                    v_config.control, v_default_name, v_control_type)
                  INTO v_lows, v_counts USING v_bounds;
              ELSE
                EXECUTE format('SELECT array_agg(lo::text ORDER BY lo) FILTER (WHERE lo IS NOT NULL), array_agg(n ORDER BY lo) FILTER (WHERE lo IS NOT NULL), '
                    'coalesce(sum(n) FILTER (WHERE lo IS NULL), 0), max(top) FROM '
                    '(SELECT %1$I - %1$I %% $1 AS lo, count(*) AS n, max(%1$I) AS top FROM ONLY %2$s GROUP BY 1) s',
                    v_config.control, v_default_name)
                  INTO v_lows, v_counts, v_nulls, v_max_id USING v_config.partition_interval::bigint;
                v_infinite := 0;
                IF v_config.retention IS NOT NULL THEN
                  -- pg_partman's retention measures from the largest value in the newest child that has rows.
                  FOR v_name IN SELECT format('%I.%I', partition_schemaname, partition_tablename) FROM @SHOW_PARTITIONS@(@PARENT@, 'DESC') LOOP
                    EXECUTE format('SELECT max(%I) FROM %s', v_config.control, v_name) INTO v_child_max;
                    EXIT WHEN v_child_max IS NOT NULL;
                  END LOOP;
                  v_max_id := greatest(v_max_id, v_child_max);
                END IF;
              END IF;
              v_lows := coalesce(v_lows, '{}');
              v_highs := '{}';
              v_names := '{}';
              v_problems := '{}';
              IF v_nulls > 0 THEN
                v_problems := v_problems || format('%s row(s) with %I NULL, which no range partition takes', v_nulls, v_config.control);
              END IF;
              IF v_infinite > 0 THEN
                v_problems := v_problems || format('%s row(s) with %I infinity or -infinity, which no partition bound reaches', v_infinite, v_config.control);
              END IF;
              FOR k IN 1 .. cardinality(v_lows) LOOP
                v_highs := v_highs || CASE v_kind WHEN 'time' THEN (v_lows[k]::timestamptz + v_config.partition_interval::interval)::text
                                                  ELSE (v_lows[k]::numeric + v_config.partition_interval::numeric)::text END;
                SELECT partition_table, table_exists, coalesce(suffix_timestamp::text, suffix_id::text)
                  INTO v_name, v_exists, v_suffix FROM @SHOW_PARTITION_NAME@(@PARENT@, v_lows[k]);
                IF (CASE v_kind WHEN 'time' THEN v_suffix::timestamptz <> v_lows[k]::timestamptz ELSE v_suffix::numeric <> v_lows[k]::numeric END) THEN
                  RAISE EXCEPTION 'pg_partman bounds the partition for % at %, not at % as computed', v_lows[k], v_suffix, v_lows[k];
                END IF;
                v_names := v_names || v_name;
                IF v_exists THEN
                  v_problems := v_problems || format('%s row(s) with %I from %s to before %s, but a table named %I.%I already exists (detached, or bounded otherwise)',
                      v_counts[k], v_config.control, v_lows[k], v_highs[k], @SCHEMA@, v_name);
                ELSIF v_config.retention IS NOT NULL AND (CASE v_kind
                    WHEN 'time' THEN v_highs[k]::timestamptz < now() - v_config.retention::interval
                    ELSE v_max_id - v_highs[k]::numeric >= v_config.retention::numeric END) THEN
                  v_problems := v_problems || format('%s row(s) with %I from %s to before %s, older than the retention (%s): the next maintenance would drop or detach their partition',
                      v_counts[k], v_config.control, v_lows[k], v_highs[k], v_config.retention);
                END IF;
              END LOOP;
              IF cardinality(v_problems) > 0 THEN
                RAISE EXCEPTION 'repartitionDefault cannot place every row of %: %', v_default_name, array_to_string(v_problems, '; ')
                  USING HINT = 'Delete those rows or move them elsewhere (or change the retention), then run it again. Nothing was moved in this pass.';
              END IF;
              EXIT WHEN cardinality(v_lows) = 0;
              IF v_pass > 10 THEN
                RAISE EXCEPTION 'rows keep arriving in % for partitions that do not exist (pass %)', v_default_name, v_pass
                  USING HINT = 'Raise premake so that their partitions exist before they arrive, then run it again.';
              END IF;
              v_planned := (SELECT sum(n) FROM unnest(v_counts) n);
              v_moved_in_pass := 0;

              -- Batches of whole child ranges, up to batchSize rows (a larger range moves alone).
              v_first := 1;
              WHILE v_first <= cardinality(v_lows) LOOP
                v_last := v_first;
                v_batch_rows := v_counts[v_first];
                WHILE v_last < cardinality(v_lows) AND v_batch_rows + v_counts[v_last + 1] <= v_batch_size LOOP
                  v_last := v_last + 1;
                  v_batch_rows := v_batch_rows + v_counts[v_last];
                END LOOP;
                SELECT string_agg(format('(%1$I >= %2$L::%4$s AND %1$I < %3$L::%4$s)', v_config.control, v_lows[k], v_highs[k], v_control_type), ' OR ')
                  INTO v_condition FROM generate_series(v_first, v_last) k;

                -- From here on rows of these ranges can no longer enter the DEFAULT.
                @LOCK_DEFAULT@
                EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I CHECK (NOT (%s)) NOT VALID', v_default_name, v_pending, v_condition);
                @COMMIT@
                v_failure := NULL;
                BEGIN
                  v_move := format('WITH moved AS (DELETE FROM ONLY %s WHERE %s RETURNING %s)', v_default_name, v_condition, v_columns);
                  FOR k IN v_first .. v_last LOOP
                    EXECUTE format('CREATE TABLE %I.%I (LIKE %s @LIKE_OPTIONS@ INCLUDING INDEXES, '
                        'CONSTRAINT @BOUNDS@ CHECK (%I IS NOT NULL AND %I >= %L::%s AND %I < %L::%s))%s',
                        @SCHEMA@, v_names[k], v_parent_name, v_config.control, v_config.control, v_lows[k], v_control_type,
                        v_config.control, v_highs[k], v_control_type, v_tablespace);
                    IF v_config.template_table IS NOT NULL THEN
                      PERFORM @INHERIT_TEMPLATE_PROPERTIES@(@PARENT@, @SCHEMA@, v_names[k]);
                    END IF;
                    IF v_config.inherit_privileges THEN
                      PERFORM @APPLY_PRIVILEGES@(@SCHEMA@, @TABLE@, @SCHEMA@, v_names[k]);
                    END IF;
                    @PUBLICATIONS@
                    v_move := v_move || format(', c%s AS (INSERT INTO %I.%I (%s) SELECT %s FROM moved WHERE %I >= %L::%s AND %I < %L::%s)',
                        k, @SCHEMA@, v_names[k], v_columns, v_columns, v_config.control, v_lows[k], v_control_type,
                        v_config.control, v_highs[k], v_control_type);
                  END LOOP;
                  -- Deleted from the DEFAULT and inserted into the children in one statement: readers see
                  -- the rows in the DEFAULT until this transaction ends, then in their partitions.
                  EXECUTE v_move || ' SELECT count(*) FROM moved' INTO v_batch_moved;
                  -- Scans the DEFAULT while readers and writers go on (SHARE UPDATE EXCLUSIVE).
                  EXECUTE format('ALTER TABLE %s VALIDATE CONSTRAINT %I', v_default_name, v_pending);
                  @LOCK_FOR_ATTACH@
                  FOR k IN v_first .. v_last LOOP
                    EXECUTE format('ALTER TABLE %s ATTACH PARTITION %I.%I FOR VALUES FROM (%L) TO (%L)',
                        v_parent_name, @SCHEMA@, v_names[k], v_lows[k], v_highs[k]);
                    EXECUTE format('ALTER TABLE %I.%I DROP CONSTRAINT @BOUNDS@', @SCHEMA@, v_names[k]);
                    @REPLICA_IDENTITY@
                  END LOOP;
                  EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', v_default_name, v_pending);
                EXCEPTION WHEN OTHERS THEN
                  v_failure := SQLERRM;
                END;
                IF v_failure IS NOT NULL THEN
                  @LOCK_DEFAULT@
                  EXECUTE format('ALTER TABLE %s DROP CONSTRAINT IF EXISTS %I', v_default_name, v_pending);
                  @COMMIT@
                  RAISE EXCEPTION 'repartitionDefault could not move the rows of % with % from % to before %: %',
                    v_default_name, v_config.control, v_lows[v_first], v_highs[v_last], v_failure
                    USING HINT = 'The rows of this batch are still in the DEFAULT; earlier batches were moved. Remove the cause and run it again.';
                END IF;
                v_batches := v_batches + 1;
                v_moved := v_moved + v_batch_moved;
                v_moved_in_pass := v_moved_in_pass + v_batch_moved;
                v_created := v_created || v_names[v_first:v_last];
                RAISE NOTICE 'liquibase-partman: repartitionDefault %: batch %: % rows into % partition(s) %..%; % rows moved, % left',
                  @PARENT@, v_batches, v_batch_moved, v_last - v_first + 1, v_names[v_first], v_names[v_last], v_moved,
                  greatest(v_planned - v_moved_in_pass, 0);
                @COMMIT@
                v_first := v_last + 1;
              END LOOP;
            END LOOP;
            @ANALYZE@
            IF v_config.constraint_cols IS NOT NULL AND cardinality(v_created) > 0 THEN
              PERFORM @APPLY_CONSTRAINTS@(p_parent_table := @PARENT@);
            END IF;
            RAISE NOTICE 'liquibase-partman: repartitionDefault %: % rows moved into % new partition(s) in % batch(es); % is empty',
              @PARENT@, v_moved, cardinality(v_created), v_batches, v_default_name;
            END;""";
}
