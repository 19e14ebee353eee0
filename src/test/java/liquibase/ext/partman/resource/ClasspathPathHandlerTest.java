package liquibase.ext.partman.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import liquibase.Scope;
import liquibase.resource.PathHandler;
import liquibase.resource.PathHandlerFactory;
import liquibase.resource.ResourceAccessor;
import liquibase.resource.SearchPathResourceAccessor;
import liquibase.ext.partman.support.NoDatabase;

/**
 * The {@code classpath:} search-path entry, found by Liquibase through the service registration.
 * The real liquibase-maven-plugin with {@code <searchPath>} runs in ConsumerProjectIT
 * (examples/consumer-searchpath).
 */
@NoDatabase
class ClasspathPathHandlerTest {

    private static final String PACK = "liquibase-partman/changelogs/statistics-pack.xml";

    private final PathHandlerFactory pathHandlers = Scope.getCurrentScope().getSingleton(PathHandlerFactory.class);

    @Test
    void aSearchPathWithClasspathFindsThePackBesideTheProjectsFolders() throws Exception {
        Path projectFolder = Path.of("examples/consumer-searchpath/changelogs").toAbsolutePath();
        ResourceAccessor searchPath = new SearchPathResourceAccessor(projectFolder + ",classpath:");
        assertTrue(searchPath.getExisting(PACK).exists());
        assertTrue(searchPath.getExisting("changelog.xml").exists());
    }

    @Test
    void withoutTheEntryASearchPathDoesNotFindThePack() throws Exception {
        ResourceAccessor searchPath = new SearchPathResourceAccessor(Path.of("examples").toAbsolutePath().toString());
        assertFalse(searchPath.get(PACK).exists());
    }

    @Test
    void theRootWithASlashIsTheSameEntry() throws Exception {
        assertTrue(pathHandlers.getResourceAccessor("classpath:/").getExisting(PACK).exists());
    }

    @Test
    void aFolderOnTheClasspathIsRefusedSayingWhatToWrite() {
        IOException refused = assertThrows(IOException.class, () -> pathHandlers.getResourceAccessor("classpath:liquibase-partman"));
        assertEquals("Search path entry 'classpath:liquibase-partman' names a folder on the classpath; liquibase-partman "
                + "reads 'classpath:' alone (the whole classpath, from its root): use 'classpath:' and the folder in "
                + "the include's path", refused.getMessage());
    }

    @Test
    void aClasspathFileIsReadableAndNothingIsWrittenThere() throws Exception {
        assertTrue(pathHandlers.getResource("classpath:" + PACK).exists());
        assertFalse(pathHandlers.getResource("classpath:no/such/changelog.xml").exists());
        assertThrows(IOException.class, () -> pathHandlers.createResource("classpath:out.sql"));
    }

    @Test
    void otherEntriesStayWithLiquibasesOwnHandlers() {
        ClasspathPathHandler handler = new ClasspathPathHandler();
        assertEquals(PathHandler.PRIORITY_DEFAULT, handler.getPriority("classpath:"));
        for (String root : new String[] {"src/main/resources", "/opt/changelogs", "file:/opt/changelogs", "lib/app.jar", "C:\\db"}) {
            assertEquals(PathHandler.PRIORITY_NOT_APPLICABLE, handler.getPriority(root), root);
        }
    }
}
