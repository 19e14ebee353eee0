package liquibase.ext.partman.pack;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import liquibase.ext.partman.support.ExternalProcess;
import liquibase.ext.partman.support.TestDatabase;

/**
 * examples/spring-boot: a Spring Boot 3.5 application with the extension, as this build packaged it,
 * on its runtime classpath and {@code spring.liquibase.change-log} pointing at the pack in the jar.
 * Started twice with {@code mvn spring-boot:run} against the test database, as a service restarts:
 * the first start applies the pack, the second applies nothing. Run by failsafe, after {@code package}.
 */
class SpringBootAppIT {

    private static final String SCHEMA = "boot_app";

    @BeforeAll
    static void installTheBuiltExtension() throws Exception {
        ExternalProcess.installBuiltExtension();
    }

    @Test
    void theApplicationAppliesThePackWhenItStarts() throws Exception {
        PackChangeLog.reset(SCHEMA);

        start("spring-boot-start");
        AppliedPack.assertApplied(SCHEMA);

        start("spring-boot-restart");
        AppliedPack.assertApplied(SCHEMA);
    }

    /** The application, with Spring Boot's command-line arguments for this test's database, schema and job. */
    private static void start(String step) throws Exception {
        List<String> arguments = List.of("--spring.datasource.url=" + TestDatabase.url(),
                "--spring.liquibase.default-schema=" + SCHEMA,
                "--spring.liquibase.parameters.partman.pack.schema=" + SCHEMA,
                "--spring.liquibase.parameters.partman.pack.maintenance.jobName=" + PackChangeLog.jobName(SCHEMA),
                "--spring.liquibase.parameters.partman.pack.maintenance.active=false");
        ExternalProcess.maven(step, "--file", "examples/spring-boot/pom.xml",
                "-Dliquibase-partman.version=" + ExternalProcess.extensionVersion(),
                "spring-boot:run", "-Dspring-boot.run.arguments=" + String.join(" ", arguments));
    }
}
