package liquibase.ext.partman.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import liquibase.ext.partman.support.NoDatabase;

/** docs/ARCHITECTURE.md names every package, every services file and every SQL folder there is. */
@NoDatabase
class ArchitectureMapTest {

    private static final Path ARCHITECTURE = Path.of("docs/ARCHITECTURE.md");

    private static List<String> missing(Path folder, boolean directories, String format) throws IOException {
        String map = Files.readString(ARCHITECTURE, StandardCharsets.UTF_8);
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(entry -> Files.isDirectory(entry) == directories)
                    .map(entry -> format.formatted(entry.getFileName().toString()))
                    .filter(name -> !map.contains(name)).sorted().toList();
        }
    }

    @Test
    void everyPackageIsOnTheMap() throws Exception {
        assertEquals(List.of(), missing(Path.of("src/main/java/liquibase/ext/partman"), true, "| `%s` |"),
                "packages without a row in " + ARCHITECTURE);
    }

    @Test
    void everyServicesFileIsNamed() throws Exception {
        assertEquals(List.of(), missing(Path.of("src/main/resources/META-INF/services"), false, "`%s`"),
                "META-INF/services files " + ARCHITECTURE + " does not name");
    }

    @Test
    void everySqlFolderIsNamed() throws Exception {
        assertEquals(List.of(), missing(Path.of("src/main/resources/liquibase/ext/partman/sql"), true, "`%s/`"),
                "SQL template folders " + ARCHITECTURE + " does not name");
    }
}
