package liquibase.ext.partman.change;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The schedule forms pg_cron accepts, checked before any SQL runs so that a typo is reported
 * with the field it is in. Stricter than pg_cron where pg_cron is lax to no purpose: it ignores
 * text after the fifth field and accepts ranges that run backwards, which never fire.
 */
final class CronSchedule {

    /** pg_cron 1.5+: every N seconds, 1 to 59. */
    private static final Pattern SECONDS = Pattern.compile("(?i)\\s*(\\d{1,9})\\s*seconds?\\s*");
    private static final Set<String> MACROS = Set.of("@yearly", "@annually", "@monthly", "@weekly", "@daily",
            "@midnight", "@hourly", "@reboot", "@restart");
    /** One list element: '*', a value or a range, with an optional step. */
    private static final Pattern ELEMENT = Pattern.compile("(?:(\\*)|(\\w+)(?:-(\\w+))?)(?:/(\\d+))?");
    private static final String LAST_DAY_OF_MONTH = "$";
    private static final int DAY_OF_MONTH = 2;

    private record Field(String name, int low, int high, List<String> names) {
    }

    private static final List<Field> FIELDS = List.of(
            new Field("minute", 0, 59, List.of()),
            new Field("hour", 0, 23, List.of()),
            new Field("day of month", 1, 31, List.of()),
            new Field("month", 1, 12, List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")),
            new Field("day of week", 0, 7, List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat")));

    private CronSchedule() {
    }

    /** Why pg_cron would refuse the schedule (in any version), or null. */
    static String problem(String schedule) {
        String text = schedule.trim();
        if (MACROS.contains(text)) {
            return null;
        }
        if (text.startsWith("@")) {
            return "is not one of pg_cron's macros " + String.join(", ", MACROS.stream().sorted().toList());
        }
        Matcher seconds = SECONDS.matcher(text);
        if (seconds.matches()) {
            long n = Long.parseLong(seconds.group(1));
            return n >= 1 && n <= 59 ? null : "runs every " + n + " seconds; pg_cron accepts 1 to 59 seconds";
        }
        String[] parts = text.split("[ \\t]+");
        if (parts.length != FIELDS.size()) {
            return "has " + parts.length + " field" + (parts.length == 1 ? "" : "s") + "; write five (minute hour "
                    + "day-of-month month day-of-week, e.g. '0 * * * *'), a macro such as '@hourly', or 'N seconds'";
        }
        for (int i = 0; i < parts.length; i++) {
            if (i == DAY_OF_MONTH && LAST_DAY_OF_MONTH.equals(parts[i])) {
                continue;
            }
            String fieldProblem = fieldProblem(FIELDS.get(i), parts[i]);
            if (fieldProblem != null) {
                return fieldProblem;
            }
        }
        return null;
    }

    /** The 'N seconds' form, which pg_cron accepts from 1.5 on. */
    static boolean isSeconds(String schedule) {
        return SECONDS.matcher(schedule.trim()).matches();
    }

    /** '$' as day of month, which pg_cron accepts from 1.6 on. */
    static boolean usesLastDayOfMonth(String schedule) {
        String[] parts = schedule.trim().split("[ \\t]+");
        return parts.length == FIELDS.size() && LAST_DAY_OF_MONTH.equals(parts[DAY_OF_MONTH]);
    }

    private static String fieldProblem(Field field, String text) {
        for (String element : text.split(",", -1)) {
            Matcher m = ELEMENT.matcher(element);
            if (!m.matches()) {
                return field.name() + " '" + element + "' is not '*', a value, a range 'a-b' or either with a step '/n'";
            }
            if (m.group(2) != null && m.group(3) == null && m.group(4) != null) {
                return field.name() + " '" + element + "' steps from a single value; pg_cron takes a step only after "
                        + "'*' or a range ('*/20', '0-59/20')";
            }
            if (m.group(4) != null && Long.parseLong(m.group(4)) == 0) {
                return field.name() + " '" + element + "' has a step of 0";
            }
            if (m.group(1) != null) {
                continue;
            }
            String problem = valueProblem(field, m.group(2));
            if (problem == null && m.group(3) != null) {
                problem = valueProblem(field, m.group(3));
                if (problem == null && value(field, m.group(2)) > value(field, m.group(3))) {
                    problem = field.name() + " range '" + element + "' runs backwards and would never fire";
                }
            }
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static String valueProblem(Field field, String text) {
        int value = value(field, text);
        if (value >= field.low() && value <= field.high()) {
            return null;
        }
        String allowed = field.low() + "-" + field.high()
                + (field.names().isEmpty() ? "" : " or a name (" + field.names().get(0) + ", " + field.names().get(1) + ", ...)");
        return field.name() + " '" + text + "' is outside " + allowed;
    }

    /** The value a number or name stands for; -1 for anything else. */
    private static int value(Field field, String text) {
        int named = field.names().indexOf(text.toLowerCase(Locale.ROOT));
        if (named >= 0) {
            return named + field.low();
        }
        return text.matches("\\d{1,4}") ? Integer.parseInt(text) : -1;
    }
}
