package liquibase.ext.partman.support;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
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
import liquibase.diff.output.StandardObjectChangeFilter;
import liquibase.resource.DirectoryResourceAccessor;
import liquibase.structure.core.Column;

/**
 * snapshot, generate-changelog, diff and diff-changelog run the way the CLI and the Maven plugin
 * run them: through CommandScope with the commands' own argument names, on files in one folder.
 * A database is a URL plus the schema that is its default and the only one compared.
 */
public final class DiffCommands {

    /** One side of a comparison. */
    public record Side(String url, String schema) {

        /** A snapshot file written by {@link #snapshot} in this folder, as a diff's reference. */
        public static Side offline(String snapshotFileName, String schema) {
            return new Side("offline:postgresql?snapshot=" + snapshotFileName, schema);
        }
    }

    private final Path folder;
    private final String excludeObjects;

    /**
     * @param excludeObjects the commands' excludeObjects filter besides Liquibase's own tables
     *                       (e.g. other tests' cron jobs), or null
     */
    public DiffCommands(String excludeObjects) throws Exception {
        this.folder = Files.createTempDirectory("liquibase-partman-diff");
        this.excludeObjects = "(?i)databasechangelog.*" + (excludeObjects == null ? "" : ", " + excludeObjects);
    }

    public Path folder() {
        return folder;
    }

    /** Writes the changelog of what the schema holds to the file (its ending picks XML or YAML) and returns its text. */
    public String generateChangeLog(Side database, String fileName) throws Exception {
        Files.deleteIfExists(folder.resolve(fileName));
        run(on(new CommandScope("generateChangelog"), database)
                .addArgumentValue("changelogFile", folder.resolve(fileName).toString())
                .addArgumentValue("author", "generated"));
        return Files.readString(folder.resolve(fileName));
    }

    /** Writes the schema's snapshot as JSON to the file. */
    public void snapshot(Side database, String fileName) throws Exception {
        try (OutputStream out = Files.newOutputStream(folder.resolve(fileName))) {
            run(new CommandScope("snapshot")
                    .addArgumentValue("url", database.url())
                    .addArgumentValue("defaultSchemaName", database.schema())
                    .addArgumentValue("schemas", database.schema())
                    .addArgumentValue("snapshotFormat", "json")
                    .setOutput(out));
        }
    }

    /** The diff report, as text. */
    public String diffReport(Side reference, Side target) throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        run(compare(new CommandScope("diff"), reference, target).setOutput(output));
        return output.toString(StandardCharsets.UTF_8);
    }

    /** The diff itself, for assertions beyond the report's text. */
    public DiffResult diff(Side reference, Side target) throws Exception {
        CommandResults results = run(compare(new CommandScope("diff"), reference, target).setOutput(new ByteArrayOutputStream()));
        return (DiffResult) results.getResult("diffResult");
    }

    /** Writes the changes that make the target match the reference to the file and returns its text. */
    public String diffChangeLog(Side reference, Side target, String fileName) throws Exception {
        Files.deleteIfExists(folder.resolve(fileName));
        run(compare(new CommandScope("diffChangelog"), reference, target)
                .addArgumentValue("changelogFile", folder.resolve(fileName).toString())
                .addArgumentValue("author", "generated"));
        return Files.readString(folder.resolve(fileName));
    }

    /**
     * Everything the diff found, one line each, except what excludeObjects leaves out (the diff
     * result of an offline reference is not filtered, only what is written from it) and one
     * difference that is Liquibase core's own: generate-changelog writes a DEFAULT CURRENT_TIMESTAMP
     * column as defaultValueComputed "CURRENT_TIMESTAMP", which core's createTable creates as
     * DEFAULT now(), on any table.
     */
    public List<String> differences(DiffResult diff) {
        StandardObjectChangeFilter filter = new StandardObjectChangeFilter(StandardObjectChangeFilter.FilterType.EXCLUDE, excludeObjects);
        List<String> found = new ArrayList<>();
        diff.getMissingObjects().stream().filter(filter::include)
                .forEach(object -> found.add("missing " + object.getClass().getSimpleName() + " " + object));
        diff.getUnexpectedObjects().stream().filter(filter::include)
                .forEach(object -> found.add("unexpected " + object.getClass().getSimpleName() + " " + object));
        diff.getChangedObjects().forEach((object, differences) -> differences.getDifferences().stream()
                .filter(difference -> filter.include(object))
                .filter(difference -> !(object instanceof Column && difference.getField().equals("defaultValue")
                        && String.valueOf(difference.getReferenceValue()).equals("CURRENT_TIMESTAMP")
                        && String.valueOf(difference.getComparedValue()).equals("now()")))
                .forEach(difference -> found.add("changed " + object.getClass().getSimpleName() + " " + object + ": "
                        + difference.getField() + " " + difference.getReferenceValue() + " -> " + difference.getComparedValue())));
        return found;
    }

    private CommandScope on(CommandScope scope, Side database) {
        return scope.addArgumentValue("excludeObjects", excludeObjects)
                .addArgumentValue("url", database.url())
                .addArgumentValue("defaultSchemaName", database.schema())
                .addArgumentValue("schemas", database.schema());
    }

    /** Liquibase's own tables are in the target's schema (update keeps them there), and core's diff reports them. */
    private CommandScope compare(CommandScope scope, Side reference, Side target) {
        return on(scope, target)
                .addArgumentValue("referenceUrl", reference.url())
                .addArgumentValue("referenceDefaultSchemaName", reference.schema())
                .addArgumentValue("referenceSchemas", reference.schema());
    }

    private CommandResults run(CommandScope scope) throws Exception {
        // Closed by hand: its close() declares Exception, which javac's try-with-resources lint reports.
        DirectoryResourceAccessor resources = new DirectoryResourceAccessor(folder);
        try {
            return Scope.child(Map.of(Scope.Attr.resourceAccessor.name(), resources), scope::execute);
        } finally {
            resources.close();
        }
    }
}
