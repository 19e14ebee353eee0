package liquibase.ext.partman.pack;

import java.io.IOException;
import java.util.List;

import liquibase.ext.partman.support.TestJvm;

/**
 * The pack's update of one schema in a JVM of its own (see {@link TestJvm}), as another instance
 * of an application or a deploy job runs it.
 */
final class PackUpdateProcess {

    private PackUpdateProcess() {
    }

    /** Starts the update; output in ExternalProcess.log(name). */
    static Process start(String name, String schema, String... systemProperties) throws IOException {
        return TestJvm.start(name, PackUpdateProcess.class, List.of(systemProperties), schema);
    }

    public static void main(String[] args) throws Exception {
        new PackChangeLog(args[0]).run().update();
    }
}
