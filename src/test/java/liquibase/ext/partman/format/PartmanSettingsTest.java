package liquibase.ext.partman.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import liquibase.Scope;
import liquibase.change.Change;
import liquibase.change.ChangeFactory;
import liquibase.change.ChangeParameterMetaData;
import liquibase.ext.partman.support.NoDatabase;
import liquibase.ext.partman.version.PartmanSetting;

/**
 * The table of pg_partman settings ({@link PartmanSetting}) against what the user sees: the
 * change classes' bean properties, the XSD and the docs pages. A setting added to one and not the
 * others fails here, without a database.
 */
@NoDatabase
class PartmanSettingsTest {

    /** The attributes of the setting change types that are not part_config columns. */
    private static final Map<String, Set<String>> NOT_SETTINGS = Map.of(
            "createPartmanParent", Set.of("schemaName", "tableName", "startPartition", "defaultTable", "timeZone"),
            "setRetention", Set.of("schemaName", "tableName", "maxPartitionsDropped"),
            "setPartmanConfig", Set.of("schemaName", "tableName"));

    /** Every attribute of createPartmanParent, setRetention and setPartmanConfig is a setting of the table or named above. */
    @Test
    void everyAttributeOfTheSettingChangesIsARowOrNamedAsNone() {
        for (PartmanSetting.Owner owner : PartmanSetting.Owner.values()) {
            String change = owner.changeName();
            Set<String> fromTable = new TreeSet<>(NOT_SETTINGS.get(change));
            PartmanSetting.givenBy(change).forEach(setting -> fromTable.add(setting.attribute()));
            assertEquals(new TreeSet<>(parameters(change).keySet()), fromTable, "the attributes of " + change);
        }
    }

    /** Each row's attribute has its kind's Java type, on the owner and on createPartmanParent for a create_parent argument. */
    @Test
    void beanPropertiesHaveTheRowsType() {
        for (PartmanSetting setting : PartmanSetting.values()) {
            for (String change : changesGiving(setting)) {
                ChangeParameterMetaData parameter = parameters(change).get(setting.attribute());
                assertEquals(setting.kind().type(), parameter.getDataTypeClass(), change + "." + setting.attribute());
            }
        }
    }

    @Test
    void columnsAttributesAndArgumentsAreUnique() {
        for (List<String> names : List.of(
                Arrays.stream(PartmanSetting.values()).map(PartmanSetting::attribute).toList(),
                Arrays.stream(PartmanSetting.values()).map(PartmanSetting::column).toList(),
                Arrays.stream(PartmanSetting.values()).map(PartmanSetting::createParentArgument).filter(a -> a != null).toList())) {
            assertEquals(names.size(), new TreeSet<>(names).size(), names.toString());
        }
    }

    @Test
    void theXsdDeclaresEverySettingOnEveryChangeGivingIt() throws Exception {
        Map<String, Set<String>> xsd = XsdMatchesClassesTest.fromXsd();
        for (PartmanSetting setting : PartmanSetting.values()) {
            for (String change : changesGiving(setting)) {
                assertTrue(xsd.get(change).contains(setting.attribute()), "XSD element " + change + " lacks " + setting.attribute());
            }
        }
    }

    /**
     * Each setting has a row in its changes' attribute tables; setPartmanConfig's table names the
     * column, and a setting that not every pg_partman has says which version it needs.
     */
    @Test
    void theDocsPagesDescribeEverySetting() throws Exception {
        String everyVersion = version(PartmanSetting.CONTROL_COLUMN);
        for (PartmanSetting setting : PartmanSetting.values()) {
            for (String change : changesGiving(setting)) {
                String row = docsRow(change, setting.attribute());
                if (change.equals("setPartmanConfig")) {
                    assertEquals("`" + setting.column() + "`", row.split("\\|")[2].trim(), "column of " + setting.attribute()
                            + " in docs/changes/setPartmanConfig.md");
                }
                String since = version(setting);
                if (!since.equals(everyVersion)) {
                    assertTrue(row.contains("pg_partman " + since + "+"), "docs/changes/" + change + ".md: " + setting.attribute()
                            + " should say it needs pg_partman " + since + "+");
                }
            }
        }
    }

    /** "5.5", as the docs write the version a setting needs. */
    private static String version(PartmanSetting setting) {
        return setting.since().major() + "." + setting.since().minor();
    }

    private static String docsRow(String change, String attribute) throws Exception {
        Path page = Path.of("docs/changes", change + ".md");
        return Files.readAllLines(page).stream()
                .filter(line -> line.startsWith("| ") && line.split("\\|")[1].contains("`" + attribute + "`"))
                .findFirst().orElseThrow(() -> new AssertionError(page + " has no row for " + attribute));
    }

    /** The owner, and createPartmanParent too for a setting with a create_parent argument. */
    private static Set<String> changesGiving(PartmanSetting setting) {
        Set<String> changes = new TreeSet<>(Set.of(setting.owner().changeName()));
        if (setting.createParentArgument() != null) {
            changes.add(PartmanSetting.Owner.CREATE_PARTMAN_PARENT.changeName());
        }
        return changes;
    }

    private static Map<String, ChangeParameterMetaData> parameters(String changeName) {
        ChangeFactory factory = Scope.getCurrentScope().getSingleton(ChangeFactory.class);
        Change change = factory.create(changeName);
        return new TreeMap<>(factory.getChangeMetaData(change).getParameters());
    }
}
