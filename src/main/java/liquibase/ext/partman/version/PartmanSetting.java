package liquibase.ext.partman.version;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import liquibase.ext.partman.sql.SqlText;

/**
 * The pg_partman settings the change types write, one row per {@code part_config} column: the
 * change attribute that carries it, the column, how its value is read and written, the change that
 * owns it, its {@code create_parent} argument, the first pg_partman version that has it and its
 * default. The changes' SQL values, the snapshot, the diff and the version checks all read this
 * table; adding a setting is a row here and its bean property on the owning change (and its line in
 * the XSD and the docs page, which {@code PartmanSettingsTest} checks without a database).
 *
 * <p>The order is the order of the {@code SET} list in {@code UPDATE part_config} and of the snapshot.
 */
public enum PartmanSetting {

    // Registration: given to create_parent only; no change type alters them afterwards.
    CONTROL_COLUMN("controlColumn", "control", Kind.TEXT, Owner.CREATE_PARTMAN_PARENT, "p_control", Since.ANY, null),
    INTERVAL("interval", "partition_interval", Kind.TEXT, Owner.CREATE_PARTMAN_PARENT, "p_interval", Since.ANY, null),
    /** The change's own default: createPartmanParent without type is range partitioning. */
    TYPE("type", "partition_type", Kind.PARTITION_TYPE, Owner.CREATE_PARTMAN_PARENT, "p_type", Since.ANY, "range"),
    /** The argument is 4.7's too; the column only 5.0's (the snapshot reads it as NULL before). */
    DATE_TRUNC_INTERVAL("dateTruncInterval", "date_trunc_interval", Kind.TEXT, Owner.CREATE_PARTMAN_PARENT,
            "p_date_trunc_interval", Since.ANY, null),
    TEMPLATE_TABLE("templateTable", "template_table", Kind.TEXT, Owner.CREATE_PARTMAN_PARENT, "p_template_table", Since.ANY, null),

    // Retention.
    RETENTION("retention", "retention", Kind.RETENTION, Owner.SET_RETENTION, null, Since.ANY, null),
    RETENTION_KEEP_TABLE("retentionKeepTable", "retention_keep_table", Kind.BOOLEAN, Owner.SET_RETENTION, null, Since.ANY, true),
    RETENTION_KEEP_INDEX("retentionKeepIndex", "retention_keep_index", Kind.BOOLEAN, Owner.SET_RETENTION, null, Since.ANY, true),
    RETENTION_SCHEMA("retentionSchema", "retention_schema", Kind.TEXT, Owner.SET_RETENTION, null, Since.ANY, null),

    // The others; the ones with a create_parent argument can be given at registration too.
    PREMAKE("premake", "premake", Kind.INTEGER, Owner.SET_PARTMAN_CONFIG, "p_premake", Since.ANY, 4),
    INFINITE_TIME_PARTITIONS("infiniteTimePartitions", "infinite_time_partitions", Kind.BOOLEAN, Owner.SET_PARTMAN_CONFIG, null,
            Since.ANY, false),
    AUTOMATIC_MAINTENANCE("automaticMaintenance", "automatic_maintenance", Kind.ON_OFF, Owner.SET_PARTMAN_CONFIG,
            "p_automatic_maintenance", Since.ANY, true),
    OPTIMIZE_CONSTRAINT("optimizeConstraint", "optimize_constraint", Kind.INTEGER, Owner.SET_PARTMAN_CONFIG, null, Since.ANY, 30),
    CONSTRAINT_COLS("constraintCols", "constraint_cols", Kind.COLUMN_LIST, Owner.SET_PARTMAN_CONFIG, "p_constraint_cols",
            Since.ANY, null),
    CONSTRAINT_VALID("constraintValid", "constraint_valid", Kind.BOOLEAN, Owner.SET_PARTMAN_CONFIG, null, Since.ANY, true),
    INHERIT_PRIVILEGES("inheritPrivileges", "inherit_privileges", Kind.BOOLEAN, Owner.SET_PARTMAN_CONFIG, null, Since.ANY, false),
    IGNORE_DEFAULT_DATA("ignoreDefaultData", "ignore_default_data", Kind.BOOLEAN, Owner.SET_PARTMAN_CONFIG, null, Since.ANY, true),
    JOBMON("jobmon", "jobmon", Kind.BOOLEAN, Owner.SET_PARTMAN_CONFIG, "p_jobmon", Since.ANY, true),
    /** Retention of sets that another table references by foreign key. */
    DETACH_BEFORE_DROP("detachBeforeDrop", "detach_before_drop", Kind.BOOLEAN, Owner.SET_PARTMAN_CONFIG, null,
            new ExtensionVersion(5, 5, 0), false);

    /** The change type that sets a setting; createPartmanParent also gives the others that have a create_parent argument. */
    public enum Owner {
        CREATE_PARTMAN_PARENT("createPartmanParent"),
        SET_RETENTION("setRetention"),
        SET_PARTMAN_CONFIG("setPartmanConfig");

        private final String changeName;

        Owner(String changeName) {
            this.changeName = changeName;
        }

        /** The change type's name, as in the changelog. */
        public String changeName() {
            return changeName;
        }
    }

    /**
     * How a setting's value looks: its Java type (the bean property's), how part_config's value
     * reads (as the text {@code to_jsonb(part_config) ->> column} gives) and how it is written as SQL.
     */
    public enum Kind {
        TEXT(String.class, text -> text, value -> SqlText.literal((String) value), null),
        INTEGER(Integer.class, Integer::valueOf, value -> SqlText.integer((Integer) value), null),
        BOOLEAN(Boolean.class, Boolean::valueOf, value -> SqlText.bool((Boolean) value), null),
        /** automatic_maintenance is the text 'on' or 'off'. */
        ON_OFF(Boolean.class, "on"::equals, value -> SqlText.literal((Boolean) value ? "on" : "off"), null),
        /** A text[] of column names, given as a comma-separated list; an empty list clears it. */
        COLUMN_LIST(String.class, Kind::jsonTextArray, value -> ((String) value).isBlank() ? "NULL"
                : SqlText.textArray(SqlText.nameList((String) value)), ""),
        /** An interval or a whole number; "none" keeps every partition (NULL). */
        RETENTION(String.class, text -> text, value -> KEEP_FOREVER.equals(value) ? "NULL"
                : SqlText.literal(((String) value).trim()), KEEP_FOREVER),
        /** pg_partman 4 calls its declarative range partitioning 'native'. */
        PARTITION_TYPE(String.class, text -> "native".equals(text) ? "range" : text, value -> SqlText.literal((String) value), null);

        private final Class<?> type;
        private final Function<String, Object> read;
        private final Function<Object, String> sql;
        private final String cleared;

        Kind(Class<?> type, Function<String, Object> read, Function<Object, String> sql, String cleared) {
            this.type = type;
            this.read = read;
            this.sql = sql;
            this.cleared = cleared;
        }

        /** The Java type of the attribute. */
        public Class<?> type() {
            return type;
        }

        /** text[] as jsonb text ('["a", "b"]') to the change's comma-separated form. */
        private static Object jsonTextArray(String text) {
            return text.replaceAll("^\\[|]$", "").replace("\"", "").replace(" ", "");
        }
    }

    /** The retention value that means "keep forever" (part_config.retention NULL). */
    public static final String KEEP_FOREVER = "none";

    private final String attribute;
    private final String column;
    private final Kind kind;
    private final Owner owner;
    private final String createParentArgument;
    private final ExtensionVersion since;
    private final Object defaultValue;

    PartmanSetting(String attribute, String column, Kind kind, Owner owner, String createParentArgument,
                   ExtensionVersion since, Object defaultValue) {
        this.attribute = attribute;
        this.column = column;
        this.kind = kind;
        this.owner = owner;
        this.createParentArgument = createParentArgument;
        this.since = since;
        this.defaultValue = defaultValue;
    }

    /** The change attribute (bean property) that carries the setting. */
    public String attribute() {
        return attribute;
    }

    /** The part_config column. */
    public String column() {
        return column;
    }

    public Kind kind() {
        return kind;
    }

    public Owner owner() {
        return owner;
    }

    /** create_parent's argument for it, or null when registration cannot give it. */
    public String createParentArgument() {
        return createParentArgument;
    }

    /** The first pg_partman version that has it ({@link PartmanTarget#settingProblem} refuses it on older ones). */
    public ExtensionVersion since() {
        return since;
    }

    /**
     * What the setting is when nobody names it: pg_partman 5's column default, or for {@code type}
     * the change's own. The snapshot compares against the server's own column defaults, which can
     * differ between pg_partman versions; this one is for messages and the diff of registrations.
     */
    public Object defaultValue() {
        return defaultValue;
    }

    /** The value as SQL, for the {@code SET} list of {@code UPDATE part_config}. */
    public String sql(Object value) {
        return kind.sql.apply(value);
    }

    /** part_config's value, as the text {@code to_jsonb(part_config) ->> column} gives, as the attribute's value. */
    public Object read(String text) {
        return text == null ? null : kind.read.apply(text);
    }

    /** The attribute value that sets the column to NULL, or null when the attribute has none. */
    public String cleared() {
        return kind.cleared;
    }

    /** {@code p_name := value}, for create_parent. */
    public String argument(String sqlValue) {
        return createParentArgument + " := " + sqlValue;
    }

    /** The settings a change type writes: the ones it owns, and for createPartmanParent every create_parent argument. */
    public static List<PartmanSetting> givenBy(String changeName) {
        return Arrays.stream(values()).filter(setting -> setting.owner.changeName.equals(changeName)
                || Owner.CREATE_PARTMAN_PARENT.changeName.equals(changeName) && setting.createParentArgument != null).toList();
    }

    /** The settings a change type owns: the ones its {@code UPDATE part_config} (or registration) sets. */
    public static List<PartmanSetting> ownedBy(String changeName) {
        return Arrays.stream(values()).filter(setting -> setting.owner.changeName.equals(changeName)).toList();
    }

    private static final class Since {
        /**
         * Every pg_partman this extension writes for (4.7 on) has it, and older ones did too: no
         * version is refused for it.
         */
        static final ExtensionVersion ANY = new ExtensionVersion(0, 0, 0);
    }
}
