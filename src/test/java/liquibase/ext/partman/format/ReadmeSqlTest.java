package liquibase.ext.partman.format;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The SQL README and docs/ show is the SQL the tests check: every block after an
 * {@code <!-- sql: NAME -->} marker is an excerpt, in order, of src/test/resources/sql/NAME.sql.
 */
class ReadmeSqlTest {

    private static final Pattern EXCERPT = Pattern.compile("<!-- sql: (\\S+) -->\\s*```sql\\n(.*?)```", Pattern.DOTALL);
    private static final String ELISION = "-- ...";

    @Test
    void readmeSqlIsTheTestedSql() throws Exception {
        List<Path> documents;
        try (Stream<Path> docs = Files.walk(Path.of("docs"))) {
            documents = Stream.concat(Stream.of(Path.of("README.md")), docs.filter(path -> path.toString().endsWith(".md"))).toList();
        }
        int checked = 0;
        for (Path document : documents) {
            checked += checkExcerpts(document);
        }
        assertTrue(checked >= 6, "README and docs/ have only " + checked + " SQL excerpts");
    }

    private static int checkExcerpts(Path document) throws Exception {
        Matcher excerpts = EXCERPT.matcher(Files.readString(document, StandardCharsets.UTF_8));
        int checked = 0;
        while (excerpts.find()) {
            Path golden = Path.of("src/test/resources/sql", excerpts.group(1) + ".sql");
            assertTrue(Files.exists(golden), document + " names " + golden + ", which does not exist");
            List<String> lines = Files.readAllLines(golden, StandardCharsets.UTF_8);
            int position = 0;
            for (String line : excerpts.group(2).split("\n")) {
                if (line.equals(ELISION)) {
                    continue;
                }
                int found = lines.subList(position, lines.size()).indexOf(line);
                assertTrue(found >= 0, document + "'s excerpt of " + golden + " has a line that is not there (in that order):\n" + line);
                position += found + 1;
            }
            checked++;
        }
        return checked;
    }
}
