package liquibase.ext.partman.support;

/** What a failure says, all the way down: Liquibase wraps the server's message in several layers. */
public final class Failures {

    private Failures() {
    }

    public static String messages(Throwable failure) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        return messages.toString();
    }
}
