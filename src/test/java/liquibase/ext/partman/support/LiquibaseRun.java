package liquibase.ext.partman.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import liquibase.Scope;
import liquibase.command.CommandScope;
import liquibase.command.core.ReleaseLocksCommandStep;
import liquibase.command.core.RollbackCountCommandStep;
import liquibase.command.core.RollbackCountSqlCommandStep;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.UpdateSqlCommandStep;
import liquibase.command.core.UpdateTestingRollbackCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.resource.CompositeResourceAccessor;
import liquibase.resource.DirectoryResourceAccessor;

/**
 * Runs Liquibase commands the way users do (CommandScope, a changelog file, a database URL) on a
 * changelog written to a temporary folder. Each run opens and closes its own connection. Includes
 * resolve in that folder first, then on the classpath, where the jar's changelog pack lives.
 */
public final class LiquibaseRun {

    /** The URL of an offline PostgreSQL: no connection, SQL written from properties only. */
    public static final String OFFLINE = "offline:postgresql?version=15.0";

    private final Path folder;
    private final String changeLogFile;
    private final String url;
    private final String schema;

    private LiquibaseRun(Path folder, String changeLogFile, String url, String schema) {
        this.folder = folder;
        this.changeLogFile = changeLogFile;
        this.url = url;
        this.schema = schema;
    }

    /**
     * @param fileName   e.g. "changelog.xml" or "changelog.yaml"; the format follows the ending
     * @param content    the changelog text
     * @param url        a JDBC URL or {@link #OFFLINE}
     * @param schema     the default schema (where DATABASECHANGELOG and the tables live); null: server default
     */
    public static LiquibaseRun of(String fileName, String content, String url, String schema) {
        try {
            Path folder = Files.createTempDirectory("liquibase-partman-test");
            Files.writeString(folder.resolve(fileName), content, StandardCharsets.UTF_8);
            return new LiquibaseRun(folder, fileName, url, schema);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes another file into the changelog's folder (an included changelog), at a path relative to it. */
    public LiquibaseRun withFile(String relativePath, String content) {
        try {
            Path file = folder.resolve(relativePath);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same changelog against another database or schema. */
    public LiquibaseRun against(String otherUrl, String otherSchema) {
        return new LiquibaseRun(folder, changeLogFile, otherUrl, otherSchema);
    }

    public void update() throws Exception {
        run(UpdateCommandStep.COMMAND_NAME, null);
    }

    public void updateTestingRollback() throws Exception {
        run(UpdateTestingRollbackCommandStep.COMMAND_NAME, null);
    }

    /** What a user runs after a Liquibase process died holding DATABASECHANGELOGLOCK. */
    public void releaseLocks() throws Exception {
        run(ReleaseLocksCommandStep.COMMAND_NAME, null);
    }

    public void rollbackCount(int count) throws Exception {
        run(RollbackCountCommandStep.COMMAND_NAME, count);
    }

    public String updateSql() throws Exception {
        return run(UpdateSqlCommandStep.COMMAND_NAME, null);
    }

    public String rollbackCountSql(int count) throws Exception {
        return run(RollbackCountSqlCommandStep.COMMAND_NAME, count);
    }

    private String run(String[] command, Integer count) throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        CompositeResourceAccessor resources = new CompositeResourceAccessor(new DirectoryResourceAccessor(folder),
                new ClassLoaderResourceAccessor(LiquibaseRun.class.getClassLoader()));
        try {
            Scope.child(Map.of(Scope.Attr.resourceAccessor.name(), resources), () -> {
                CommandScope scope = new CommandScope(command)
                        .addArgumentValue(DbUrlConnectionArgumentsCommandStep.URL_ARG, url)
                        .addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, changeLogFile)
                        .setOutput(output);
                if (schema != null) {
                    scope.addArgumentValue(DbUrlConnectionArgumentsCommandStep.DEFAULT_SCHEMA_NAME_ARG, schema);
                }
                if (count != null) {
                    scope.addArgumentValue(RollbackCountCommandStep.COUNT_ARG, count);
                }
                scope.execute();
            });
        } finally {
            resources.close();
        }
        return output.toString(StandardCharsets.UTF_8);
    }

    /** An XML changelog around the given changeSet elements, with the partman namespace and XSD. */
    public static String xmlChangeLog(String changeSets) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <databaseChangeLog
                    xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
                    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                    xmlns:partman="https://liquibase-partman.github.io/xml/ns/partman"
                    xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog
                        http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd
                        https://liquibase-partman.github.io/xml/ns/partman
                        https://liquibase-partman.github.io/xml/ns/partman/liquibase-partman-latest.xsd">
                %s
                </databaseChangeLog>
                """.formatted(changeSets);
    }
}
