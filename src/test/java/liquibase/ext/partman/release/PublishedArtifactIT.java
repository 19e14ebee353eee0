package liquibase.ext.partman.release;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import liquibase.ext.partman.PartmanNamespace;
import liquibase.ext.partman.support.ExternalProcess;

/**
 * The jars {@code mvn verify} packaged hold what a user and Maven Central rely on: the licence (file
 * and pom metadata), the project's coordinates for Central (url, scm, developers), the XSD where
 * Liquibase looks it up, the whole changelog pack, the service registrations, and sources and javadoc
 * jars beside the main jar. Run by failsafe, after {@code package}; needs no database.
 */
class PublishedArtifactIT {

    private static final Path MAIN_JAR = ExternalProcess.builtExtensionJar();
    private static final String POM = "META-INF/maven/io.github.liquibase-partman/liquibase-partman/pom.xml";

    @Test
    void theJarCarriesTheLicenceFileAndItsPomTheLicenceAndCentralsMetadata() throws Exception {
        try (JarFile jar = new JarFile(MAIN_JAR.toFile())) {
            assertArrayEquals(Files.readAllBytes(Path.of("LICENSE")), read(jar, "META-INF/LICENSE"));

            Document pom;
            try (InputStream in = jar.getInputStream(entry(jar, POM))) {
                pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
            }
            XPath xpath = XPathFactory.newInstance().newXPath();
            assertEquals("Apache-2.0", xpath.evaluate("/project/licenses/license/name", pom));
            assertEquals("https://www.apache.org/licenses/LICENSE-2.0.txt", xpath.evaluate("/project/licenses/license/url", pom));
            for (String required : List.of("name", "description", "url", "developers/developer/name", "scm/url",
                    "scm/connection", "issueManagement/url")) {
                assertFalse(xpath.evaluate("/project/" + required, pom).isBlank(), "pom.xml lacks <" + required + ">");
            }
        }
    }

    @Test
    void theJarHoldsTheXsdWhereLiquibaseLooksAndTheWholePack() throws Exception {
        try (JarFile jar = new JarFile(MAIN_JAR.toFile())) {
            // Liquibase lower-cases the schemaLocation and drops the scheme before looking on the classpath.
            String xsd = PartmanNamespace.XSD_URL.toLowerCase().replaceFirst("^https?://", "");
            assertArrayEquals(Files.readAllBytes(Path.of("src/main/resources", xsd)), read(jar, xsd));

            Path pack = Path.of("changelogs");
            try (Stream<Path> files = Files.walk(pack)) {
                for (Path file : files.filter(Files::isRegularFile).collect(Collectors.toList())) {
                    String inJar = "liquibase-partman/changelogs/" + pack.relativize(file).toString().replace('\\', '/');
                    assertArrayEquals(Files.readAllBytes(file), read(jar, inJar), inJar);
                }
            }
        }
    }

    @Test
    void everyRegisteredServiceIsAClassInTheJar() throws Exception {
        Path services = Path.of("src/main/resources/META-INF/services");
        try (JarFile jar = new JarFile(MAIN_JAR.toFile()); Stream<Path> files = Files.list(services)) {
            for (Path file : files.collect(Collectors.toList())) {
                String registered = new String(read(jar, "META-INF/services/" + file.getFileName()), "UTF-8");
                for (String className : registered.strip().split("\\s+")) {
                    assertNotNull(jar.getEntry(className.replace('.', '/') + ".class"), className);
                }
            }
        }
    }

    @Test
    void sourcesAndJavadocJarsLieBesideTheMainJar() throws Exception {
        String base = MAIN_JAR.getFileName().toString().replaceFirst("\\.jar$", "");
        try (JarFile sources = new JarFile(MAIN_JAR.resolveSibling(base + "-sources.jar").toFile());
                JarFile javadoc = new JarFile(MAIN_JAR.resolveSibling(base + "-javadoc.jar").toFile());
                Stream<Path> mainSources = Files.walk(Path.of("src/main/java"))) {
            Set<String> expected = mainSources.filter(path -> path.toString().endsWith(".java"))
                    .map(path -> Path.of("src/main/java").relativize(path).toString().replace('\\', '/'))
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> packaged = sources.stream().map(ZipEntry::getName).filter(name -> name.endsWith(".java"))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(expected, packaged);
            assertTrue(javadoc.getEntry("liquibase/ext/partman/resource/ClasspathPathHandler.html") != null,
                    "the javadoc jar has no page for ClasspathPathHandler");
        }
    }

    private static ZipEntry entry(JarFile jar, String name) {
        ZipEntry entry = jar.getEntry(name);
        assertNotNull(entry, MAIN_JAR.getFileName() + " lacks " + name);
        return entry;
    }

    private static byte[] read(JarFile jar, String name) throws Exception {
        try (InputStream in = jar.getInputStream(entry(jar, name))) {
            return in.readAllBytes();
        }
    }
}
