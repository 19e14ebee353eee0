package liquibase.ext.partman.pack;

import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import liquibase.ext.partman.support.ExternalProcess;
import liquibase.ext.partman.support.TestDatabase;

/**
 * examples/cli with the Liquibase 4.33.0 CLI: an installation in the distribution's layout made from
 * Maven Central by examples/cli/pom.xml, the extension jar as this build packaged it copied into its
 * {@code lib/}, started as {@code java -jar internal/lib/liquibase-core.jar} (the CLI's launcher) in
 * the project folder, which holds liquibase.properties and a master changelog that includes the pack
 * from the classpath. Runs {@code update}, {@code rollback-count}, {@code update}, each a process of
 * its own; the second update as a project that keeps a search path runs it, with
 * {@code --search-path=<project>,classpath:}. Run by failsafe, after {@code package}.
 */
class LiquibaseCliIT {

    private static final String SCHEMA = "cli_app";
    private static final Path PROJECT = Path.of("examples/cli").toAbsolutePath();
    private static final Path LIQUIBASE_HOME = PROJECT.resolve("target/liquibase");

    @BeforeAll
    static void installTheCliWithTheExtensionInItsLib() throws Exception {
        ExternalProcess.maven("cli-install", "--file", PROJECT.resolve("pom.xml").toString(), "package");
        Path lib = Files.createDirectories(LIQUIBASE_HOME.resolve("lib"));
        try (DirectoryStream<Path> earlierJars = Files.newDirectoryStream(lib, "*.jar")) {
            for (Path jar : earlierJars) {
                Files.delete(jar);
            }
        }
        Path extension = ExternalProcess.builtExtensionJar();
        Files.copy(extension, lib.resolve(extension.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void updateRollbackCountUpdate() throws Exception {
        PackChangeLog.reset(SCHEMA);

        liquibase("cli-update", List.of(), "update");
        AppliedPack.assertApplied(SCHEMA);

        liquibase("cli-rollback-count", List.of(), "rollback-count", "--count=" + PackChangeLog.CHANGE_SETS);
        AppliedPack.assertRolledBack(SCHEMA);

        liquibase("cli-update-with-search-path", List.of("--search-path=" + PROJECT + ",classpath:"), "update");
        AppliedPack.assertApplied(SCHEMA);
    }

    /**
     * The command against the test database and this test's schema, with changelog parameters given
     * as -D after the command; the rest comes from the project's liquibase.properties.
     */
    private static void liquibase(String step, List<String> globalArguments, String... commandAndArguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(ExternalProcess.javaExecutable(), "-jar",
                LIQUIBASE_HOME.resolve("internal/lib/liquibase-core.jar").toString(),
                "--url=" + TestDatabase.url(), "--default-schema-name=" + SCHEMA));
        command.addAll(globalArguments);
        command.addAll(List.of(commandAndArguments));
        command.addAll(List.of("-Dpartman.pack.schema=" + SCHEMA,
                "-Dpartman.pack.maintenance.jobName=" + PackChangeLog.jobName(SCHEMA),
                "-Dpartman.pack.maintenance.active=false"));
        ExternalProcess.run(step, PROJECT, Map.of("LIQUIBASE_HOME", LIQUIBASE_HOME.toString()), command);
    }
}
