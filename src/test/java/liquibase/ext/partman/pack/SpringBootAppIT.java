package liquibase.ext.partman.pack;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import liquibase.ext.partman.support.ExternalProcess;
import liquibase.ext.partman.support.TestDatabase;

/**
 * examples/spring-boot (Spring Boot 3.5) and examples/spring-boot-4 (the same application on Boot 4.0):
 * the extension, as this build packaged it, on the application's runtime classpath and
 * {@code spring.liquibase.change-log} pointing at the pack in the jar. Started twice with
 * {@code mvn spring-boot:run} against the test database, as a service restarts: the first start applies
 * the pack, the second applies nothing. Run by failsafe, after {@code package}.
 */
class SpringBootAppIT {

    @BeforeAll
    static void installTheBuiltExtension() throws Exception {
        ExternalProcess.installBuiltExtension();
    }

    @ParameterizedTest(name = "examples/{0}")
    @CsvSource({"spring-boot, boot_app", "spring-boot-4, boot4_app"})
    void theApplicationAppliesThePackWhenItStarts(String project, String schema) throws Exception {
        PackChangeLog.reset(schema);

        start(project, schema, "start");
        AppliedPack.assertApplied(schema);

        start(project, schema, "restart");
        AppliedPack.assertApplied(schema);
    }

    /** The application, with Spring Boot's command-line arguments for this test's database, schema and job. */
    private static void start(String project, String schema, String step) throws Exception {
        List<String> arguments = List.of("--spring.datasource.url=" + TestDatabase.url(),
                "--spring.liquibase.default-schema=" + schema,
                "--spring.liquibase.parameters.partman.pack.schema=" + schema,
                "--spring.liquibase.parameters.partman.pack.maintenance.jobName=" + PackChangeLog.jobName(schema),
                "--spring.liquibase.parameters.partman.pack.maintenance.active=false");
        ExternalProcess.maven(project + "-" + step, "--file", "examples/" + project + "/pom.xml",
                "-Dliquibase-partman.version=" + ExternalProcess.extensionVersion(),
                "spring-boot:run", "-Dspring-boot.run.arguments=" + String.join(" ", arguments));
    }
}
