package liquibase.ext.partman.format;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The SQL README shows is the SQL the tests check: every block after an
 * {@code <!-- sql: NAME -->} marker is an excerpt, in order, of src/test/resources/sql/NAME.sql.
 */
class ReadmeSqlTest {

    private static final Pattern EXCERPT = Pattern.compile("<!-- sql: (\\S+) -->\\s*```sql\\n(.*?)```", Pattern.DOTALL);
    private static final String ELISION = "-- ...";

    @Test
    void readmeSqlIsTheTestedSql() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        Matcher excerpts = EXCERPT.matcher(readme);
        int checked = 0;
        while (excerpts.find()) {
            Path golden = Path.of("src/test/resources/sql", excerpts.group(1) + ".sql");
            assertTrue(Files.exists(golden), "README names " + golden + ", which does not exist");
            List<String> lines = Files.readAllLines(golden, StandardCharsets.UTF_8);
            int position = 0;
            for (String line : excerpts.group(2).split("\n")) {
                if (line.equals(ELISION)) {
                    continue;
                }
                int found = lines.subList(position, lines.size()).indexOf(line);
                assertTrue(found >= 0, "README's excerpt of " + golden + " has a line that is not there (in that order):\n" + line);
                position += found + 1;
            }
            checked++;
        }
        assertTrue(checked >= 6, "README has only " + checked + " SQL excerpts");
    }
}
