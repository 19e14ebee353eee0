package liquibase.ext.partman.support;

import liquibase.ext.partman.version.ExtensionVersion;
import liquibase.ext.partman.version.PartmanTarget;

/** The versions SQL-text tests write for: what Debian 12 ships, and pg_partman 5 as Docker users have it. */
public final class Targets {

    public static final PartmanTarget PARTMAN_4_7 = target("4.7.2", "1.4.2");
    public static final PartmanTarget PARTMAN_5_1 = target("5.1.0", "1.6.0");
    public static final PartmanTarget PARTMAN_5_4 = target("5.4.0", "1.6.0");
    public static final PartmanTarget PARTMAN_5_5 = target("5.5.0", "1.6.0");

    private Targets() {
    }

    /** The test database's pg_partman, for tests whose expectations follow what that version can do. */
    public static PartmanTarget ofTestDatabase() {
        return new PartmanTarget(TestDatabase.partmanVersion(), "partman", ExtensionVersion.parse("1.6.0"), "UTC", "test");
    }

    private static PartmanTarget target(String partman, String cron) {
        return new PartmanTarget(ExtensionVersion.parse(partman), "partman", ExtensionVersion.parse(cron), "UTC", "test");
    }
}
