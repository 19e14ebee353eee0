package liquibase.ext.partman.format;

import static liquibase.ext.partman.support.LiquibaseRun.xmlChangeLog;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import liquibase.Scope;
import liquibase.change.Change;
import liquibase.change.ChangeFactory;
import liquibase.change.ChangeParameterMetaData;
import liquibase.database.core.PostgresDatabase;
import liquibase.ext.partman.support.ChangeExamples;
import liquibase.ext.partman.support.Docs;
import liquibase.ext.partman.support.LiquibaseRun;
import liquibase.precondition.Precondition;
import liquibase.ext.partman.support.NoDatabase;

/**
 * What the docs show users is what the extension does: every changelog example in README and
 * docs/ is read by Liquibase's own parser (the XML against the shipped XSD) and turned into SQL
 * offline, and every attribute table lists exactly the attributes of its change type, with
 * "yes" in the required column exactly where the class requires one.
 */
@NoDatabase
class DocsExamplesTest {

    private static final Pattern BLOCK = Pattern.compile("```(xml|yaml)\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern NAME = Pattern.compile("`(\\w+)`");

    @TempDir
    Path folder;

    @Test
    void everyChangelogExampleParsesAndWritesSql() throws Exception {
        int examples = 0;
        for (Path page : Docs.pages()) {
            Matcher blocks = BLOCK.matcher(Files.readString(page, StandardCharsets.UTF_8));
            while (blocks.find()) {
                String changeLog = changeLog(blocks.group(1), blocks.group(2));
                if (changeLog == null) {
                    continue;
                }
                examples++;
                String file = "example" + examples + "." + blocks.group(1);
                String where = page + ", example starting\n" + blocks.group(2).lines().findFirst().orElse("");
                String sql;
                try {
                    sql = LiquibaseRun.of(file, changeLog, LiquibaseRun.OFFLINE + "&changeLogFile=" + folder.resolve(file + ".csv"), null)
                            .updateSql();
                } catch (Exception e) {
                    throw new AssertionError(where + ": " + e, e);
                }
                assertTrue(sql.contains("-- liquibase-partman: written for"), () -> where + " wrote no change's SQL:\n" + sql);
            }
        }
        assertTrue(examples >= 16, "found only " + examples + " changelog examples in the docs");
    }

    /** The block as a whole changelog, or null when it is not a changeset (a pom, an include, ...). */
    private static String changeLog(String format, String block) {
        if (format.equals("xml") && block.contains("<changeSet")) {
            return xmlChangeLog(block);
        }
        if (format.equals("yaml") && block.startsWith("- changeSet:")) {
            return "databaseChangeLog:\n" + block.indent(2);
        }
        return null;
    }

    @Test
    void attributeTablesListExactlyTheAttributes() throws Exception {
        Map<String, Map<String, Boolean>> documented = new TreeMap<>();
        Map<String, Map<String, Boolean>> declared = new TreeMap<>();
        ChangeFactory factory = Scope.getCurrentScope().getSingleton(ChangeFactory.class);
        for (Change change : ChangeExamples.registeredChanges()) {
            Map<String, Boolean> required = new TreeMap<>();
            for (ChangeParameterMetaData parameter : factory.getChangeMetaData(change).getParameters().values()) {
                required.put(parameter.getParameterName(), parameter.isRequiredFor(new PostgresDatabase()));
            }
            declared.put(change.getSerializedObjectName(), required);
        }
        for (Precondition precondition : ChangeExamples.registeredPreconditions()) {
            Map<String, Boolean> required = new TreeMap<>();
            precondition.getSerializableFields().forEach(field -> required.put(field, false));
            declared.put(precondition.getName(), required);
        }
        for (String name : declared.keySet()) {
            documented.put(name, attributeTable(Path.of("docs/changes", name + ".md")));
        }
        for (String name : declared.keySet()) {
            Map<String, Boolean> table = documented.get(name);
            assertEquals(new TreeSet<>(declared.get(name).keySet()), new TreeSet<>(table.keySet()),
                    "attributes in the table of docs/changes/" + name + ".md");
            if (table.containsValue(null)) {
                continue;
            }
            assertEquals(declared.get(name), table, "required attributes in the table of docs/changes/" + name + ".md");
        }
    }

    /**
     * The page's table headed "| attribute |": each attribute named in its first column, whether
     * the "required" column says it is required ({@code yes}, or the attribute's own name where a
     * row names several), or null for each when the table has no such column.
     */
    private static Map<String, Boolean> attributeTable(Path page) throws Exception {
        List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
        int header = lines.indexOf(lines.stream().filter(line -> line.startsWith("| attribute |")).findFirst()
                .orElseThrow(() -> new AssertionError(page + " has no table headed | attribute |")));
        boolean hasRequired = lines.get(header).startsWith("| attribute | required |");
        Map<String, Boolean> attributes = new LinkedHashMap<>();
        for (String row : lines.subList(header + 2, lines.size())) {
            if (!row.startsWith("|")) {
                break;
            }
            List<String> cells = new ArrayList<>(List.of(row.split("\\|")));
            Matcher names = NAME.matcher(cells.get(1));
            while (names.find()) {
                String required = cells.get(2).trim();
                attributes.put(names.group(1), hasRequired ? required.equals("yes") || required.equals("`" + names.group(1) + "`") : null);
            }
        }
        return attributes;
    }
}
