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
import liquibase.ext.partman.support.ChangeExamples;
import liquibase.ext.partman.support.LiquibaseRun;
import liquibase.ext.partman.support.NoDatabase;

/** XML round trip, YAML, offline updateSQL for both majors, and pinned checksums. */
@NoDatabase
class ChangeLogFormatsTest {

    @TempDir
    Path folder;

    private DatabaseChangeLog parse(String fileName, String content) throws Exception {
        Files.writeString(folder.resolve(fileName), content, StandardCharsets.UTF_8);
        DirectoryResourceAccessor accessor = new DirectoryResourceAccessor(folder);
        return ChangeLogParserFactory.getInstance().getParser(fileName, accessor)
                .parse(fileName, new ChangeLogParameters(), accessor);
    }

    /** One changeset per change type, named after it, each attribute set. */
    private static String changeSets() {
        StringBuilder xml = new StringBuilder();
        for (ChangeExamples.Example example : ChangeExamples.changes()) {
            xml.append("<changeSet id=\"").append(example.name()).append("\" author=\"test\">")
                    .append(example.everyAttributeXml()).append("</changeSet>\n");
        }
        return xml.toString();
    }

    @Test
    void xmlValidatesAgainstTheShippedXsdAndRoundTrips() throws Exception {
        // Parsing validates against the XSD, found inside the jar: secure parsing forbids fetching it.
        DatabaseChangeLog changeLog = parse("changelog.xml", xmlChangeLog(changeSets()));
        assertEquals(ChangeExamples.changes().size(), changeLog.getChangeSets().size());
        for (ChangeSet changeSet : changeLog.getChangeSets()) {
            Change change = changeSet.getChanges().get(0);
            String serialized = new XMLChangeLogSerializer().serialize(change, true);
            Diff diff = DiffBuilder.compare(inNamespace(ChangeExamples.of(changeSet.getId()).everyAttributeXml())).withTest(inNamespace(serialized)).ignoreWhitespace().checkForSimilar().build();
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
                            maxPartitionsDropped: 2
                """);
        DatabaseChangeLog json = parse("changelog.json", """
                {"databaseChangeLog": [{"changeSet": {"id": "retention", "author": "test", "changes": [
                  {"setRetention": {"schemaName": "app", "tableName": "events", "retention": "6 months",
                    "retentionKeepTable": false, "retentionKeepIndex": false, "retentionSchema": "archive",
                    "maxPartitionsDropped": 2}}]}}]}
                """);
        ChangeSet fromXml = xml.getChangeSet("changelog.xml", "test", "setRetention");
        String expected = fromXml.getChanges().get(0).generateCheckSum().toString();
        assertEquals(expected, yaml.getChangeSets().get(0).getChanges().get(0).generateCheckSum().toString());
        assertEquals(expected, json.getChangeSets().get(0).getChanges().get(0).generateCheckSum().toString());
    }

    @Test
    void checksumsArePinned() throws Exception {
        DatabaseChangeLog changeLog = parse("changelog.xml", xmlChangeLog(changeSets()));
        Map<String, String> actual = new LinkedHashMap<>();
        Map<String, String> pinned = new LinkedHashMap<>();
        for (ChangeSet changeSet : changeLog.getChangeSets()) {
            actual.put(changeSet.getId(), changeSet.generateCheckSum(ChecksumVersion.V9).toString());
            pinned.put(changeSet.getId(), ChangeExamples.of(changeSet.getId()).checksum());
        }
        assertEquals(pinned, actual, "checksums users' DATABASECHANGELOG stores: changing one breaks every database that ran it");
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
