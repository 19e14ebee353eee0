package liquibase.ext.partman.format;

import static liquibase.ext.partman.support.LiquibaseRun.xmlChangeLog;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xmlunit.builder.DiffBuilder;
import org.xmlunit.diff.Diff;

import liquibase.ChecksumVersion;
import liquibase.change.Change;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.DirectoryResourceAccessor;
import liquibase.serializer.core.xml.XMLChangeLogSerializer;
import liquibase.ext.partman.support.LiquibaseRun;

/** XML round trip, YAML, offline updateSQL for both majors, and pinned checksums. */
class ChangeLogFormatsTest {

    /** One changeset per change, each attribute set, as users write them. */
    static final Map<String, String> CHANGES = new LinkedHashMap<>();

    static {
        CHANGES.put("register", "<partman:createPartmanParent schemaName=\"app\" tableName=\"events\" controlColumn=\"at\" "
                + "interval=\"1 month\" type=\"range\" premake=\"3\" startPartition=\"2024-01-01\" defaultTable=\"true\" "
                + "automaticMaintenance=\"true\" templateTable=\"app.events_template\" jobmon=\"false\" dateTruncInterval=\"month\" "
                + "constraintCols=\"tenant_id\" timeZone=\"UTC\"/>");
        CHANGES.put("retention", "<partman:setRetention schemaName=\"app\" tableName=\"events\" retention=\"6 months\" "
                + "retentionKeepTable=\"false\" retentionKeepIndex=\"false\" retentionSchema=\"archive\"/>");
        CHANGES.put("config", "<partman:setPartmanConfig schemaName=\"app\" tableName=\"events\" premake=\"6\" "
                + "infiniteTimePartitions=\"true\" automaticMaintenance=\"true\" optimizeConstraint=\"30\" constraintCols=\"tenant_id\" "
                + "constraintValid=\"true\" inheritPrivileges=\"false\" ignoreDefaultData=\"true\" jobmon=\"false\"/>");
        CHANGES.put("schedule", "<partman:scheduleCron jobName=\"partman-maintenance\" schedule=\"0 * * * *\" database=\"idpserver\" "
                + "username=\"maintainer\" active=\"true\">CALL partman.run_maintenance_proc()</partman:scheduleCron>");
        CHANGES.put("unschedule", "<partman:unscheduleCron jobName=\"partman-maintenance\" username=\"maintainer\" ifExists=\"false\"/>");
        CHANGES.put("maintenance", "<partman:runPartmanMaintenance schemaName=\"app\" tableName=\"events\" analyze=\"false\"/>");
        CHANGES.put("repartition", "<partman:repartitionDefault schemaName=\"app\" tableName=\"events\" batchSize=\"50000\" "
                + "lockTimeout=\"200ms\" analyze=\"true\"/>");
    }

    /** Checksums stored in users' DATABASECHANGELOG: changing one breaks every database that ran it. */
    private static final Map<String, String> PINNED_CHECKSUMS = Map.of(
            "register", "9:86a280b6b5e949f98e29ab50392b4e26",
            "retention", "9:29fd65121ba8b27917974a4954eef62c",
            "config", "9:e35b339096f9af6c2d563188dc1ac4de",
            "schedule", "9:9d6c5c4bf5ab391f4440a668dfe7b508",
            "unschedule", "9:3ab914d8607671138637e56c7d404f2d",
            "maintenance", "9:372ad9b6ba62cd300c557322e26f2dd3",
            "repartition", "9:1237ac471e69fd4e24d69f84d150bb81");

    @TempDir
    Path folder;

    private DatabaseChangeLog parse(String fileName, String content) throws Exception {
        Files.writeString(folder.resolve(fileName), content, StandardCharsets.UTF_8);
        DirectoryResourceAccessor accessor = new DirectoryResourceAccessor(folder);
        return ChangeLogParserFactory.getInstance().getParser(fileName, accessor)
                .parse(fileName, new ChangeLogParameters(), accessor);
    }

    private static String changeSets() {
        StringBuilder xml = new StringBuilder();
        CHANGES.forEach((id, change) -> xml.append("<changeSet id=\"").append(id).append("\" author=\"test\">")
                .append(change).append("</changeSet>\n"));
        return xml.toString();
    }

    @Test
    void xmlValidatesAgainstTheShippedXsdAndRoundTrips() throws Exception {
        // Parsing validates against the XSD, found inside the jar: secure parsing forbids fetching it.
        DatabaseChangeLog changeLog = parse("changelog.xml", xmlChangeLog(changeSets()));
        assertEquals(CHANGES.size(), changeLog.getChangeSets().size());
        for (ChangeSet changeSet : changeLog.getChangeSets()) {
            Change change = changeSet.getChanges().get(0);
            String serialized = new XMLChangeLogSerializer().serialize(change, true);
            Diff diff = DiffBuilder.compare(inNamespace(CHANGES.get(changeSet.getId()))).withTest(inNamespace(serialized)).ignoreWhitespace().checkForSimilar().build();
            assertFalse(diff.hasDifferences(), () -> changeSet.getId() + ": " + diff + "\n" + serialized);
        }
    }

    /** The serializer writes the element alone, with the partman: prefix and no declaration of it. */
    private static String inNamespace(String element) {
        return "<root xmlns:partman=\"https://liquibase-partman.github.io/xml/ns/partman\">" + element + "</root>";
    }

    @Test
    void xmlWithAnUnknownAttributeIsRejectedByTheXsd() {
        Exception failure = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> parse("bad.xml", xmlChangeLog(
                "<changeSet id=\"x\" author=\"test\"><partman:setRetention tableName=\"t\" retension=\"6 months\"/></changeSet>")));
        assertTrue(String.valueOf(failure.getMessage()).contains("retension"), failure::getMessage);
    }

    @Test
    void yamlAndJsonGiveTheSameChanges() throws Exception {
        DatabaseChangeLog xml = parse("changelog.xml", xmlChangeLog(changeSets()));
        DatabaseChangeLog yaml = parse("changelog.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: retention
                      author: test
                      changes:
                        - setRetention:
                            schemaName: app
                            tableName: events
                            retention: 6 months
                            retentionKeepTable: false
                            retentionKeepIndex: false
                            retentionSchema: archive
                """);
        DatabaseChangeLog json = parse("changelog.json", """
                {"databaseChangeLog": [{"changeSet": {"id": "retention", "author": "test", "changes": [
                  {"setRetention": {"schemaName": "app", "tableName": "events", "retention": "6 months",
                    "retentionKeepTable": false, "retentionKeepIndex": false, "retentionSchema": "archive"}}]}}]}
                """);
        ChangeSet fromXml = xml.getChangeSet("changelog.xml", "test", "retention");
        String expected = fromXml.getChanges().get(0).generateCheckSum().toString();
        assertEquals(expected, yaml.getChangeSets().get(0).getChanges().get(0).generateCheckSum().toString());
        assertEquals(expected, json.getChangeSets().get(0).getChanges().get(0).generateCheckSum().toString());
    }

    @Test
    void checksumsArePinned() throws Exception {
        DatabaseChangeLog changeLog = parse("changelog.xml", xmlChangeLog(changeSets()));
        Map<String, String> actual = new LinkedHashMap<>();
        for (ChangeSet changeSet : changeLog.getChangeSets()) {
            actual.put(changeSet.getId(), changeSet.generateCheckSum(ChecksumVersion.V9).toString());
        }
        assertEquals(PINNED_CHECKSUMS, Map.copyOf(actual));
    }

    @Test
    void offlineUpdateSqlForBothMajors() throws Exception {
        String table = """
                <changeSet id="register" author="test">
                  <partman:createPartmanParent tableName="events" controlColumn="at" interval="1 month" premake="3"/>
                </changeSet>
                """;
        String offline = LiquibaseRun.OFFLINE + "&changeLogFile=" + folder.resolve("offline.csv");
        String latest = LiquibaseRun.of("changelog.xml", xmlChangeLog(table), offline, null).updateSql();
        assertTrue(latest.contains("written for pg_partman 5.5.0 in schema partman"), latest);
        assertTrue(latest.contains("offline: assumed from changelog properties"), latest);
        assertTrue(latest.contains("\"partman\".\"create_partition\"(p_parent_table := 'public.events'"), latest);
        assertTrue(latest.contains("p_type := 'range'"), latest);

        String on47 = LiquibaseRun.of("changelog.xml", xmlChangeLog("""
                <property name="partman.version" value="4.7.2"/>
                <property name="partman.schema" value="pm"/>
                """ + table), offline.replace("offline.csv", "offline47.csv"), null).updateSql();
        assertTrue(on47.contains("written for pg_partman 4.7.2 in schema pm"), on47);
        assertTrue(on47.contains("\"pm\".\"create_parent\"("), on47);
        assertTrue(on47.contains("p_type := 'native'"), on47);
        assertFalse(on47.contains("p_default_table"), on47);
    }
}
