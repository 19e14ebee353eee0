package liquibase.ext.partman.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The user documentation: README and every Markdown page under docs/. */
public final class Docs {

    private Docs() {
    }

    public static List<Path> pages() {
        try (Stream<Path> underDocs = Files.walk(Path.of("docs"))) {
            return Stream.concat(Stream.of(Path.of("README.md")), underDocs.filter(path -> path.toString().endsWith(".md")).sorted())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
