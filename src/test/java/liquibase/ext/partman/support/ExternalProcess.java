package liquibase.ext.partman.support;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Programs run the way a user runs them, in a process of their own: Maven on a project under
 * {@code examples/}, the Liquibase CLI, a Spring Boot application, a JVM to be killed. Output goes to
 * {@code target/processes/<name>.log}; a failure shows its last lines.
 */
public final class ExternalProcess {

    private static final Path LOGS = Path.of("target/processes");
    private static boolean extensionInstalled;

    private ExternalProcess() {
    }

    /** Starts the command in the given folder (null: this one) with extra environment variables. */
    public static Process start(String name, Path directory, Map<String, String> environment, List<String> command)
            throws IOException {
        Files.createDirectories(LOGS);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log(name).toFile());
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        builder.environment().putAll(environment);
        return builder.start();
    }

    /** Runs the command to its end; fails, showing the end of its output, unless it exits with 0. */
    public static void run(String name, Path directory, Map<String, String> environment, List<String> command)
            throws Exception {
        Process process = start(name, directory, environment, command);
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(name + " did not finish in 10 minutes; see " + log(name));
        }
        if (process.exitValue() != 0) {
            throw new AssertionError(name + " failed with exit code " + process.exitValue() + " ("
                    + String.join(" ", command) + "):\n" + tail(name));
        }
    }

    /** The mvn that runs this build (failsafe passes maven.home), with its local repository, in batch mode. */
    public static void maven(String name, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(mavenExecutable(), "-B", "-ntp"));
        String localRepository = System.getProperty("maven.repo.local");
        if (localRepository != null) {
            command.add("-Dmaven.repo.local=" + localRepository);
        }
        command.addAll(List.of(arguments));
        run(name, null, Map.of(), command);
    }

    /**
     * Installs the extension jar this build just packaged into the local Maven repository, once per
     * test JVM, so that projects under examples/ depend on it as on a released artifact: under
     * {@link #extensionVersion()}, which names the jar's content, since every checkout sharing that
     * repository installs the same -SNAPSHOT and one could replace the jar while another's test uses it.
     */
    public static synchronized void installBuiltExtension() throws Exception {
        if (!extensionInstalled) {
            maven("install-extension", "install:install-file", "-Dfile=" + builtExtensionJar(),
                    "-DgroupId=io.github.liquibase-partman", "-DartifactId=liquibase-partman",
                    "-Dversion=" + extensionVersion(), "-Dpackaging=jar");
            extensionInstalled = true;
        }
    }

    /** The jar of this build ({@code package} phase). */
    public static Path builtExtensionJar() {
        return Path.of(requiredProperty("extension.jar"));
    }

    /** This build's version and the first 12 hex digits of the jar's SHA-256, e.g. 0.1.0-SNAPSHOT-3f2a9c01b7de. */
    public static String extensionVersion() throws IOException {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(builtExtensionJar()));
            return requiredProperty("extension.version") + "-" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The java of this JVM. */
    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public static Path log(String name) {
        return LOGS.resolve(name + ".log");
    }

    public static String tail(String name) throws IOException {
        List<String> lines = Files.readAllLines(log(name), StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static String mavenExecutable() {
        String home = System.getProperty("maven.home");
        if (home != null && new File(home, "bin/mvn").canExecute()) {
            return new File(home, "bin/mvn").getPath();
        }
        return "mvn";
    }

    private static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("System property " + name + " is not set: run this test through "
                    + "maven-failsafe-plugin (mvn verify), which sets it");
        }
        return value;
    }
}
