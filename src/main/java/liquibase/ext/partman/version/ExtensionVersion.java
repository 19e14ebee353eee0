package liquibase.ext.partman.version;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An extension version as {@code pg_extension.extversion} spells it: "4.7.2", "5.1.0", "1.4-1", "1.6". */
public record ExtensionVersion(int major, int minor, int patch) implements Comparable<ExtensionVersion> {

    private static final Pattern FORM = Pattern.compile("(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?(?:[-.].*)?");

    public static ExtensionVersion parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a version: '" + text + "' (expected a form like 5.1.0)");
        }
        return new ExtensionVersion(Integer.parseInt(m.group(1)), number(m.group(2)), number(m.group(3)));
    }

    private static int number(String group) {
        return group == null ? 0 : Integer.parseInt(group);
    }

    public boolean atLeast(int wantedMajor, int wantedMinor) {
        return compareTo(new ExtensionVersion(wantedMajor, wantedMinor, 0)) >= 0;
    }

    @Override
    public int compareTo(ExtensionVersion other) {
        int byMajor = Integer.compare(major, other.major);
        if (byMajor != 0) {
            return byMajor;
        }
        int byMinor = Integer.compare(minor, other.minor);
        return byMinor != 0 ? byMinor : Integer.compare(patch, other.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
