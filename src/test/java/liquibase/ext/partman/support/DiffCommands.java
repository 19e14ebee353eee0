package liquibase.ext.partman.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import liquibase.Scope;
import liquibase.command.CommandResults;
import liquibase.command.CommandScope;
import liquibase.diff.DiffResult;
import liquibase.resource.DirectoryResourceAccessor;
import liquibase.structure.core.Column;

/**
 * generate-changelog, diff and diff-changelog run the way the CLI and the Maven plugin run them:
 * through CommandScope with the commands' own argument names. A database is a URL plus the schema
 * that is its default (and the only one compared).
 */
public final class DiffCommands {

    /** One side of a comparison. */
    public record Side(String url, String schema) {
    }

    private DiffCommands() {
    }

    /**
     * Writes the changelog of what the schema holds to the file (its ending picks XML or YAML) and
     * returns its text.
     *
     * @param excludeObjects the command's excludeObjects filter (e.g. other tests' cron jobs), or null
     */
    public static String generateChangeLog(Side database, Path file, String excludeObjects) throws Exception {
        Files.deleteIfExists(file);
        CommandScope scope = new CommandScope("generateChangelog")
                .addArgumentValue("excludeObjects", excludeObjects)
                .addArgumentValue("url", database.url())
                .addArgumentValue("defaultSchemaName", database.schema())
                .addArgumentValue("schemas", database.schema())
                .addArgumentValue("changelogFile", file.toAbsolutePath().toString())
                .addArgumentValue("author", "generated");
        inFolder(file.getParent(), scope);
        return Files.readString(file);
    }

    /** The diff report, as text. */
    public static String diff(Side reference, Side target) throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        CommandScope scope = compare(new CommandScope("diff"), reference, target).setOutput(output);
        inFolder(Path.of("."), scope);
        return output.toString(StandardCharsets.UTF_8);
    }

    /** The diff itself, for assertions that go beyond the report's text. */
    public static DiffResult diffResult(Side reference, Side target) throws Exception {
        CommandScope scope = compare(new CommandScope("diff"), reference, target).setOutput(new ByteArrayOutputStream());
        CommandResults results = Scope.child(Map.of(), scope::execute);
        return (DiffResult) results.getResult("diffResult");
    }

    /** Writes the changes that make the target match the reference to the file and returns its text. */
    public static String diffChangeLog(Side reference, Side target, Path file) throws Exception {
        Files.deleteIfExists(file);
        CommandScope scope = compare(new CommandScope("diffChangelog"), reference, target)
                .addArgumentValue("changelogFile", file.toAbsolutePath().toString())
                .addArgumentValue("author", "generated");
        inFolder(file.getParent(), scope);
        return Files.readString(file);
    }

    /**
     * Both sides are schemas of the test database, and update keeps Liquibase's own tables in the
     * target's schema: core's diff reports them, so they are excluded as users exclude them.
     */
    /**
     * Everything the diff found, one line each, except one difference that is Liquibase core's own:
     * generate-changelog writes a DEFAULT CURRENT_TIMESTAMP column as defaultValueComputed
     * "CURRENT_TIMESTAMP", which core's createTable creates as DEFAULT now(), on any table.
     */
    public static List<String> differences(DiffResult diff) {
        List<String> found = new ArrayList<>();
        diff.getMissingObjects().forEach(object -> found.add("missing " + object));
        diff.getUnexpectedObjects().forEach(object -> found.add("unexpected " + object));
        diff.getChangedObjects().forEach((object, differences) -> differences.getDifferences().stream()
                .filter(difference -> !(object instanceof Column && difference.getField().equals("defaultValue")
                        && String.valueOf(difference.getReferenceValue()).equals("CURRENT_TIMESTAMP")
                        && String.valueOf(difference.getComparedValue()).equals("now()")))
                .forEach(difference -> found.add("changed " + object + ": " + difference)));
        return found;
    }

    private static CommandScope compare(CommandScope scope, Side reference, Side target) {
        return scope.addArgumentValue("excludeObjects", "(?i)databasechangelog.*")
                .addArgumentValue("referenceUrl", reference.url())
                .addArgumentValue("referenceDefaultSchemaName", reference.schema())
                .addArgumentValue("referenceSchemas", reference.schema())
                .addArgumentValue("url", target.url())
                .addArgumentValue("defaultSchemaName", target.schema())
                .addArgumentValue("schemas", target.schema());
    }

    private static void inFolder(Path folder, CommandScope scope) throws Exception {
        try (DirectoryResourceAccessor resources = new DirectoryResourceAccessor(folder.toAbsolutePath())) {
            Scope.child(Map.of(Scope.Attr.resourceAccessor.name(), resources), () -> {
                scope.execute();
            });
        }
    }
}
