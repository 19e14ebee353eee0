package liquibase.ext.partman.version;

import java.util.ArrayList;
import java.util.List;

import liquibase.ext.partman.sql.SqlText;

/**
 * The pg_partman and pg_cron the SQL is written for. Every difference between their versions
 * that a change type needs to know about is answered here and nowhere else.
 *
 * @param partman       pg_partman version
 * @param partmanSchema schema pg_partman was installed into
 * @param cron          pg_cron version
 * @param timeZone      time zone pg_partman calls run in (the server's, unless the user names one)
 * @param origin        how the above was found: "detected" or the reason it was assumed
 */
public record PartmanTarget(ExtensionVersion partman, String partmanSchema, ExtensionVersion cron,
                            String timeZone, String origin) {

    public boolean isPartman4() {
        return partman.major() < 5;
    }

    /** pg_partman 5.4 renamed create_parent to create_partition and keeps the old name as an alias. */
    public String createParentFunction() {
        return partmanObject(partman.atLeast(5, 4) ? "create_partition" : "create_parent");
    }

    /** The p_type value: 4.x calls declarative partitioning 'native', 5.x names the method. */
    public String partitionType(String requestedType) {
        return isPartman4() ? "native" : requestedType;
    }

    /** Why this pg_partman cannot do the requested partitioning type, or null when it can. */
    public String partitionTypeProblem(String requestedType) {
        if ("list".equals(requestedType) && !partman.atLeast(5, 1)) {
            return "list partitioning needs pg_partman 5.1 or later; the target is pg_partman " + partman
                    + ". Use type=\"range\".";
        }
        return null;
    }

    /** pg_partman 5.4 added config_cleanup(): unregisters a set and keeps its children. */
    public boolean hasConfigCleanup() {
        return partman.atLeast(5, 4);
    }

    /** Why this pg_partman cannot take a setting (it is newer, see {@link PartmanSetting#since()}), or null when it can. */
    public String settingProblem(PartmanSetting setting) {
        if (partman.compareTo(setting.since()) >= 0) {
            return null;
        }
        return setting.attribute() + " needs pg_partman " + setting.since().major() + "." + setting.since().minor()
                + " or later; the target is pg_partman " + partman;
    }

    /** pg_partman 5.5 moves a partition into retention_schema only when the schema's owner owns it. */
    public boolean retentionSchemaMustShareOwner() {
        return partman.atLeast(5, 5);
    }

    /**
     * The child names (part_config.datetime_string) a time set registered again may keep from the
     * children it already has: those of every pg_partman, 4.x's interval-dependent ones and 5.x's
     * YYYYMMDD, except that 5.x refuses to maintain 4.x's quarterly and ISO-weekly ones.
     */
    public List<String> childNamings() {
        List<String> namings = new ArrayList<>(List.of("YYYY", "YYYY_MM", "YYYY_MM_DD", "YYYY_MM_DD_HH24MI",
                "YYYY_MM_DD_HH24MISS", "YYYYMMDD", "YYYYMMDD_HH24MISS"));
        if (isPartman4()) {
            namings.addAll(List.of("YYYY\"q\"Q", "IYYY\"w\"IW"));
        }
        return namings;
    }

    /**
     * The versions {@code upgradePartman} updates through, each {@code ALTER EXTENSION ... UPDATE} in a
     * transaction of its own: from 4.x, 5.0.0 and then 5.0.1 first, as pg_partman's 5.0.1 upgrade guide
     * asks (managed services fail otherwise with "cannot fire deferred trigger within
     * security-restricted operation"), then the version wanted.
     */
    public List<ExtensionVersion> upgradeStages(ExtensionVersion wanted) {
        List<ExtensionVersion> stages = new ArrayList<>();
        if (upgradeRecreatesConfigTables(wanted)) {
            for (ExtensionVersion stage : List.of(new ExtensionVersion(5, 0, 0), new ExtensionVersion(5, 0, 1))) {
                if (stage.compareTo(wanted) < 0) {
                    stages.add(stage);
                }
            }
        }
        stages.add(wanted);
        return stages;
    }

    /**
     * pg_partman's 4.x to 5.0 update drops and recreates part_config and part_config_sub, refuses
     * trigger-based sets, and leaves ISO-weekly and quarterly sets that 5.x does not maintain.
     */
    public boolean upgradeRecreatesConfigTables(ExtensionVersion wanted) {
        return isPartman4() && wanted.major() >= 5;
    }

    /** pg_partman 4.x always creates a DEFAULT partition; only 5.x has p_default_table. */
    public boolean hasDefaultTableArgument() {
        return !isPartman4();
    }

    /**
     * What pg_partman copies from the parent when it creates a child, as in
     * {@code CREATE TABLE child (LIKE parent <these>)}: 5.2 added COMPRESSION, STATISTICS and
     * STORAGE; 5.0 and 5.1 had left out the STORAGE that 4.x copied.
     */
    public String childTableLikeOptions() {
        if (isPartman4()) {
            return "INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMMENTS INCLUDING GENERATED";
        }
        if (!partman.atLeast(5, 2)) {
            return "INCLUDING COMMENTS INCLUDING CONSTRAINTS INCLUDING DEFAULTS INCLUDING GENERATED";
        }
        return "INCLUDING COMMENTS INCLUDING COMPRESSION INCLUDING CONSTRAINTS INCLUDING DEFAULTS INCLUDING GENERATED "
                + "INCLUDING STATISTICS INCLUDING STORAGE";
    }

    /** From 5.1 on pg_partman gives each new child the parent's REPLICA IDENTITY (inherit_replica_identity). */
    public boolean childInheritsReplicaIdentity() {
        return partman.atLeast(5, 1);
    }

    /**
     * pg_partman 5.1.0 to 5.2.2's inherit_replica_identity gives a new child the parent's replica identity index under
     * the parent index's own name, which no index of the child has: making a child of a parent whose replica identity is
     * an index fails (fixed in 5.2.3).
     */
    public boolean childReplicaIdentityIndexFails() {
        return childInheritsReplicaIdentity() && partman.compareTo(new ExtensionVersion(5, 2, 3)) < 0;
    }

    /**
     * pg_partman 4.x's create_partition_time and create_partition_id ANALYZE the parent after making a partition unless
     * p_analyze is false; 5.x's have no such argument and never do.
     */
    public boolean createPartitionAnalyzesParent() {
        return isPartman4();
    }

    /** pg_partman 4.x adds each new child to the publications in part_config.publications; 5.x has no such column. */
    public boolean childJoinsPublications() {
        return isPartman4();
    }

    /** pg_cron accepts 'N seconds' schedules from 1.5 on. */
    public boolean cronAcceptsSeconds() {
        return cron.atLeast(1, 5);
    }

    /**
     * pg_cron reads '$' in the day-of-month field as the month's last day from 1.6.0 on. Its
     * extversion says '1.6' only from 1.6.1 (1.6.0 reports '1.5'), so 1.6.0 is refused here.
     */
    public boolean cronAcceptsLastDayOfMonth() {
        return cron.atLeast(1, 6);
    }

    /** A pg_partman function, table or procedure, qualified with the schema it lives in. */
    public String partmanObject(String name) {
        return SqlText.qualified(partmanSchema, name);
    }

    /** The schema pg_partman lives in, quoted. */
    public String partmanSchemaIdentifier() {
        return SqlText.identifier(partmanSchema);
    }

    /** The first line of every script: which versions it was written for, and why. */
    public String headerComment() {
        return "-- liquibase-partman: written for pg_partman " + partman + " in schema " + partmanSchema
                + ", pg_cron " + cron + ", time zone " + timeZone + " (" + origin + ")";
    }
}
