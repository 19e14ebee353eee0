package liquibase.ext.partman.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import liquibase.ext.partman.support.Docs;
import liquibase.ext.partman.support.NoDatabase;

/**
 * The SQL the docs show is the SQL the tests check: every block after an
 * {@code <!-- sql: NAME -->} marker, in README or under docs/, is an excerpt, in order, of
 * src/test/resources/sql/NAME.sql.
 */
@NoDatabase
class DocsSqlTest {

    private static final Pattern EXCERPT = Pattern.compile("<!-- sql: (\\S+) -->\\s*```sql\\n(.*?)```", Pattern.DOTALL);
    private static final String ELISION = "-- ...";
    private static final Path GOLDEN = Path.of("src/test/resources/sql");

    /** Every folder of reviewed SQL (one per change type, and the pack's) is shown somewhere. */
    @Test
    void docsSqlIsTheTestedSql() throws Exception {
        Set<String> shown = new TreeSet<>();
        for (Path page : Docs.pages()) {
            Matcher excerpts = EXCERPT.matcher(Files.readString(page, StandardCharsets.UTF_8));
            while (excerpts.find()) {
                assertIsExcerpt(page, excerpts.group(1), excerpts.group(2));
                shown.add(excerpts.group(1).substring(0, excerpts.group(1).indexOf('/')));
            }
        }
        Set<String> reviewed = new TreeSet<>();
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(GOLDEN, Files::isDirectory)) {
            folders.forEach(folder -> reviewed.add(folder.getFileName().toString()));
        }
        assertEquals(reviewed, shown, "reviewed SQL under " + GOLDEN + " that no docs page shows an excerpt of, or the reverse");
    }

    private static void assertIsExcerpt(Path page, String name, String excerpt) throws Exception {
        Path golden = GOLDEN.resolve(name + ".sql");
        assertTrue(Files.exists(golden), page + " names " + golden + ", which does not exist");
        List<String> lines = Files.readAllLines(golden, StandardCharsets.UTF_8);
        int position = 0;
        for (String line : excerpt.split("\n")) {
            if (line.equals(ELISION)) {
                continue;
            }
            int found = lines.subList(position, lines.size()).indexOf(line);
            assertTrue(found >= 0, page + "'s excerpt of " + golden + " has a line that is not there (in that order):\n" + line);
            position += found + 1;
        }
    }
}
