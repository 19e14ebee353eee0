package liquibase.ext.partman.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import liquibase.Scope;
import liquibase.change.Change;
import liquibase.change.ChangeFactory;
import liquibase.change.ChangeParameterMetaData;
import liquibase.ext.partman.PartmanNamespace;
import liquibase.precondition.Precondition;

/**
 * One example per change type and precondition, the one place a new type is added to the tests.
 * {@code attributes} are the values the docs use and the reviewed SQL under src/test/resources/sql
 * shows (the SQL-text and hostile-input tests start from them); {@code everyAttributeXml} sets
 * every attribute, for the XML round trip, and {@code checksum} pins that changeset's checksum.
 * {@code EveryChangeTypeIsCompleteTest} fails when a type registered in META-INF/services has no
 * entry here.
 */
public final class ChangeExamples {

    /**
     * @param checksum the checksum users' DATABASECHANGELOG stores for {@code everyAttributeXml}:
     *                 changing one breaks every database that ran it (null for a precondition,
     *                 which has none)
     */
    public record Example(String name, Map<String, Object> attributes, String everyAttributeXml, String checksum) {

        /** A new change of this type with the example's attributes, and then {@code overrides}. */
        public Change change(Map<String, ?> overrides) {
            ChangeFactory factory = Scope.getCurrentScope().getSingleton(ChangeFactory.class);
            Change change = factory.create(name);
            Map<String, ChangeParameterMetaData> parameters = factory.getChangeMetaData(change).getParameters();
            Map<String, Object> values = new LinkedHashMap<>(attributes);
            values.putAll(overrides);
            values.forEach((attribute, value) -> parameters.get(attribute).setValue(change, value));
            return change;
        }

        public Change change() {
            return change(Map.of());
        }
    }

    private static final Map<String, Example> EXAMPLES = new LinkedHashMap<>();

    static {
        add("createPartmanParent", ordered("tableName", "statistics_daily_users", "controlColumn", "stat_date",
                "interval", "1 month", "premake", 3, "startPartition", "2024-01-01"),
                "<partman:createPartmanParent schemaName=\"app\" tableName=\"events\" controlColumn=\"at\" "
                        + "interval=\"1 month\" type=\"range\" premake=\"3\" startPartition=\"2024-01-01\" defaultTable=\"true\" "
                        + "automaticMaintenance=\"true\" templateTable=\"app.events_template\" jobmon=\"false\" dateTruncInterval=\"month\" "
                        + "constraintCols=\"tenant_id\" timeZone=\"UTC\"/>",
                "9:86a280b6b5e949f98e29ab50392b4e26");
        add("setRetention", ordered("tableName", "statistics_daily_users", "retention", "6 months",
                "retentionKeepTable", false, "retentionKeepIndex", false),
                "<partman:setRetention schemaName=\"app\" tableName=\"events\" retention=\"6 months\" "
                        + "retentionKeepTable=\"false\" retentionKeepIndex=\"false\" retentionSchema=\"archive\" maxPartitionsDropped=\"2\"/>",
                "9:6734d2b4162e8b050aaf9007467ea6d6");
        add("setPartmanConfig", ordered("tableName", "statistics_daily_users", "premake", 6, "infiniteTimePartitions", true),
                "<partman:setPartmanConfig schemaName=\"app\" tableName=\"events\" premake=\"6\" "
                        + "infiniteTimePartitions=\"true\" automaticMaintenance=\"true\" optimizeConstraint=\"30\" constraintCols=\"tenant_id\" "
                        + "constraintValid=\"true\" inheritPrivileges=\"false\" ignoreDefaultData=\"true\" jobmon=\"false\" detachBeforeDrop=\"true\"/>",
                "9:3e2221a24f0e3bc61e1a4810c5e1da07");
        add("scheduleCron", ordered("jobName", "partman-maintenance", "schedule", "0 * * * *",
                "command", "CALL partman.run_maintenance_proc()"),
                "<partman:scheduleCron jobName=\"partman-maintenance\" schedule=\"0 * * * *\" database=\"idpserver\" "
                        + "username=\"maintainer\" active=\"true\">CALL partman.run_maintenance_proc()</partman:scheduleCron>",
                "9:9d6c5c4bf5ab391f4440a668dfe7b508");
        add("unscheduleCron", ordered("jobName", "partman-maintenance"),
                "<partman:unscheduleCron jobName=\"partman-maintenance\" username=\"maintainer\" ifExists=\"false\"/>",
                "9:3ab914d8607671138637e56c7d404f2d");
        add("runPartmanMaintenance", ordered("tableName", "statistics_daily_users", "analyze", false),
                "<partman:runPartmanMaintenance schemaName=\"app\" tableName=\"events\" analyze=\"false\"/>",
                "9:372ad9b6ba62cd300c557322e26f2dd3");
        add("repartitionDefault", ordered("tableName", "statistics_daily_users", "batchSize", 50000),
                "<partman:repartitionDefault schemaName=\"app\" tableName=\"events\" batchSize=\"50000\" "
                        + "lockTimeout=\"200ms\" analyze=\"true\" fillGaps=\"false\"/>",
                "9:979009bda982110be47b9663c8d09674");
        add("partitionExistingTable", ordered("tableName", "statistics_daily_users", "controlColumn", "stat_date",
                "interval", "1 month", "premake", 3, "startPartition", "2024-01-01", "batchSize", 50000),
                "<partman:partitionExistingTable schemaName=\"app\" tableName=\"events\" controlColumn=\"at\" "
                        + "interval=\"1 month\" type=\"range\" premake=\"3\" startPartition=\"2024-01-01\" defaultTable=\"true\" "
                        + "automaticMaintenance=\"true\" templateTable=\"app.events_template\" jobmon=\"false\" dateTruncInterval=\"month\" "
                        + "constraintCols=\"tenant_id\" timeZone=\"UTC\" batchSize=\"50000\" lockTimeout=\"200ms\"/>",
                "9:d9e563fe01dd6d0068b3726a40dd0eac");
        add("dropPartmanOldTable", ordered("tableName", "statistics_daily_users"),
                "<partman:dropPartmanOldTable schemaName=\"app\" tableName=\"events\" lockTimeout=\"200ms\"/>",
                "9:096ab4aec2a77547d8d5185291da3511");
        add("installPartmanMaintenance", ordered("schemaName", "app"),
                "<partman:installPartmanMaintenance schemaName=\"app\"/>",
                "9:05f1bbdabab2c769ab05fcdb685207e9");
        add("schedulePartmanMaintenance", ordered("jobName", "partman-maintenance", "schedule", "0 * * * *",
                "schemaName", "app", "lockTimeout", "200ms", "retryFor", "5 minutes"),
                "<partman:schedulePartmanMaintenance jobName=\"partman-maintenance\" schedule=\"0 * * * *\" schemaName=\"app\" "
                        + "lockTimeout=\"200ms\" retryFor=\"5 minutes\" analyze=\"false\" database=\"idpserver\" "
                        + "username=\"maintainer\" active=\"true\"/>",
                "9:9e0fd53d6543725e25c052756536095f");
        add("upgradePartman", ordered("version", "5.2.4"),
                "<partman:upgradePartman version=\"5.2.4\"/>",
                "9:8e82bb80a977b7a65562faf76b6fd331");
        add("defaultPartitionEmpty", ordered("tableName", "statistics_daily_users"),
                "<partman:defaultPartitionEmpty schemaName=\"app\" tableName=\"events\"/>",
                null);
    }

    private ChangeExamples() {
    }

    private static void add(String name, Map<String, Object> attributes, String everyAttributeXml, String checksum) {
        EXAMPLES.put(name, new Example(name, attributes, everyAttributeXml, checksum));
    }

    private static Map<String, Object> ordered(Object... namesAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return map;
    }

    /** The example of a change type or precondition; fails naming it when there is none. */
    public static Example of(String name) {
        Example example = EXAMPLES.get(name);
        if (example == null) {
            throw new AssertionError(name + " has no example in " + ChangeExamples.class.getName());
        }
        return example;
    }

    /** The examples of the change types META-INF/services registers, in its order. */
    public static List<Example> changes() {
        return registeredChanges().stream().map(change -> of(change.getSerializedObjectName())).toList();
    }

    /** Our change types as META-INF/services registers them. */
    public static List<Change> registeredChanges() {
        return ServiceLoader.load(Change.class).stream().map(ServiceLoader.Provider::get)
                .filter(change -> PartmanNamespace.URI.equals(change.getSerializedObjectNamespace())).toList();
    }

    /** Our preconditions as META-INF/services registers them. */
    public static List<Precondition> registeredPreconditions() {
        return ServiceLoader.load(Precondition.class).stream().map(ServiceLoader.Provider::get)
                .filter(precondition -> PartmanNamespace.URI.equals(precondition.getSerializedObjectNamespace())).toList();
    }
}
