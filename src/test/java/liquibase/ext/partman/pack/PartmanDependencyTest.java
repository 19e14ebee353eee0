package liquibase.ext.partman.pack;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;

import org.junit.jupiter.api.Test;

import liquibase.ext.partman.support.PartmanDependencies;
import liquibase.ext.partman.support.TestDatabase;

/**
 * Issue 25, goal 1: after the pack and every example changelog under examples/, nothing holds a
 * hard dependency on pg_partman's objects, which would make {@code ALTER EXTENSION pg_partman UPDATE}
 * fail (pg_partman's 5.0 update script recreates part_config and part_config_sub). Every bed.
 */
class PartmanDependencyTest {

    /** Each example's master changelog, by the schema it is applied in. */
    private static final Map<String, String> EXAMPLES = Map.of(
            "dependency_cli", "examples/cli/changelog.xml",
            "dependency_consumer", "examples/consumer/src/main/resources/db/changelog.xml",
            "dependency_searchpath", "examples/consumer-searchpath/changelogs/changelog.xml");
    /** What examples/consumer-searchpath finds in its search path's shared/ folder. */
    private static final String SHARED_VIEW = "views/daily-active-users.xml";

    @Test
    void noObjectOfThePackOrTheExamplesDependsOnPartmansObjects() throws Exception {
        PackChangeLog.reset("dependency_pack");
        new PackChangeLog("dependency_pack").run().update();
        for (Map.Entry<String, String> example : EXAMPLES.entrySet()) {
            PackChangeLog.reset(example.getKey());
            new PackChangeLog(example.getKey()).including("example.xml").run()
                    .withFile("example.xml", read(example.getValue()))
                    .withFile(SHARED_VIEW, read("examples/consumer-searchpath/shared/" + SHARED_VIEW))
                    .update();
        }
        try (Connection connection = TestDatabase.connect()) {
            PartmanDependencies.assertNone(connection);
        }
    }

    private static String read(String file) throws Exception {
        return Files.readString(Path.of(file), StandardCharsets.UTF_8);
    }
}
