package liquibase.ext.partman.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares generated SQL with a reviewed copy under src/test/resources/sql/. The copies are the
 * SQL the docs show; a change to the SQL is a change to those files, seen in review.
 * Run with {@code -DupdateGolden=true} to rewrite them after an intended change.
 */
public final class GoldenSql {

    private static final Path FOLDER = Path.of("src/test/resources/sql");

    private GoldenSql() {
    }

    public static void assertMatches(String name, String actual) throws IOException {
        Path file = FOLDER.resolve(name + ".sql");
        if (Boolean.getBoolean("updateGolden")) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }
        if (!Files.exists(file)) {
            throw new AssertionError("No reviewed SQL at " + file + "; run once with -DupdateGolden=true and review it");
        }
        assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual, "SQL differs from " + file);
    }
}
