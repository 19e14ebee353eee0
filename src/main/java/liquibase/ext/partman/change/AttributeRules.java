package liquibase.ext.partman.change;

import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import liquibase.exception.ValidationErrors;
import liquibase.ext.partman.sql.SqlText;

/**
 * Checks applied in {@code validate()}, before any SQL is written. Each error starts with the
 * change and attribute it concerns, so a user can find the line in the changelog.
 */
public final class AttributeRules {

    private static final String UNIT = "(?:microseconds?|us|usecs?|milliseconds?|ms|msecs?|seconds?|secs?|s"
            + "|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w|months?|mons?|years?|yrs?|y"
            + "|decades?|centur(?:y|ies)|millenni(?:um|a)|millenniums)";
    private static final String QUANTITY = "[+-]?\\d+(?:\\.\\d+)?\\s*" + UNIT;
    private static final String CLOCK = "[+-]?\\d{1,4}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?";
    /** PostgreSQL's interval input forms that pg_partman users write: "1 month", "1 day 12:00", "P1M". */
    private static final Pattern INTERVAL = Pattern.compile("(?i)@?\\s*(?:(?:" + QUANTITY + ")(?:\\s*,?\\s*"
            + QUANTITY + ")*(?:\\s+" + CLOCK + ")?|" + CLOCK + ")(?:\\s+ago)?"
            + "|P(?=.)(?:\\d+Y)?(?:\\d+M)?(?:\\d+W)?(?:\\d+D)?(?:T(?=.)(?:\\d+H)?(?:\\d+M)?(?:\\d+(?:\\.\\d+)?S)?)?");
    /** PostgreSQL's lock_timeout spelling, without the ones that make no sense for a bound on lock waits (0, hours). */
    private static final Pattern LOCK_TIMEOUT = Pattern.compile("([1-9]\\d{0,6})\\s*(ms|s|min)?");
    private static final Map<String, Long> LOCK_TIMEOUT_UNIT_MS = Map.of("ms", 1L, "s", 1000L, "min", 60_000L);
    private static final Pattern POSITIVE_INTEGER = Pattern.compile("[1-9]\\d{0,18}");
    private static final Pattern START_VALUE = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}(?:[ T]\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,6})?)?)?(?:Z|[+-]\\d{2}(?::?\\d{2})?)?"
                    + "|\\d{1,19}");
    private static final Pattern DATE_TRUNC_UNIT = Pattern.compile(
            "(?i)microseconds|milliseconds|second|minute|hour|day|week|month|quarter|year|decade|century|millennium");

    private final String changeName;
    private final ValidationErrors errors;

    public AttributeRules(String changeName, ValidationErrors errors) {
        this.changeName = changeName;
        this.errors = errors;
    }

    public ValidationErrors errors() {
        return errors;
    }

    public void error(String attribute, String problem) {
        errors.addError(changeName + "." + attribute + ": " + problem);
    }

    /** A warning, as "change.attribute what": the change runs, but probably not as its author expects. */
    void warning(String attribute, String what) {
        errors.addWarning(changeName + "." + attribute + " " + what);
    }

    boolean required(String attribute, Object value) {
        if (value == null || value.toString().isBlank()) {
            error(attribute, "is required");
            return false;
        }
        return true;
    }

    /** A bare name: no quotes, no dots, no spaces or control characters, at most 63 bytes. */
    public void identifier(String attribute, String value) {
        if (value == null) {
            return;
        }
        if (!SqlText.hasPlainIdentifierCharacters(value)) {
            error(attribute, describe(value) + " is not a plain identifier: use letters, digits, '_' and '$' only "
                    + "(no quotes, dots or spaces; pg_partman does not support them)");
        } else if (!SqlText.fitsNameLimit(value)) {
            error(attribute, describe(value) + " is longer than PostgreSQL's 63-byte identifier limit");
        }
    }

    /** {@code schema.table} or a bare table name. */
    void qualifiedName(String attribute, String value) {
        if (value == null) {
            return;
        }
        String[] parts = value.split("\\.", -1);
        if (parts.length > 2) {
            error(attribute, describe(value) + " must be a table name or schema.table");
            return;
        }
        for (String part : parts) {
            identifier(attribute, part);
        }
    }

    /** A time interval, or a positive whole number for id-controlled tables. */
    void intervalOrCount(String attribute, String value) {
        if (value != null && !isInterval(value) && !POSITIVE_INTEGER.matcher(value).matches()) {
            error(attribute, describe(value) + " is neither an interval such as '1 month' nor a positive whole "
                    + "number (for id-controlled tables); the 4.x keywords 'monthly', 'daily' are refused by pg_partman 5");
        }
    }

    void lockTimeout(String attribute, String value) {
        if (value == null) {
            return;
        }
        if (!LOCK_TIMEOUT.matcher(value.trim()).matches()) {
            error(attribute, describe(value) + " is not a lock timeout such as '100ms', '2s' or '1min'");
        } else if (lockTimeoutMillis(value) > Integer.MAX_VALUE) {
            error(attribute, describe(value) + " is more than PostgreSQL's lock_timeout allows (2147483647ms, about 24 days)");
        }
    }

    /** A lock timeout that {@link #lockTimeout} accepts, in milliseconds. */
    static long lockTimeoutMillis(String value) {
        Matcher matcher = LOCK_TIMEOUT.matcher(value.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a lock timeout: " + value);
        }
        return Long.parseLong(matcher.group(1)) * LOCK_TIMEOUT_UNIT_MS.get(matcher.group(2) == null ? "ms" : matcher.group(2));
    }

    /** An interval that is not negative: a duration such as '5 minutes' ('ago' and minus signs are refused). */
    void duration(String attribute, String value) {
        if (value != null && !isInterval(value)) {
            error(attribute, describe(value) + " is not an interval such as '5 minutes' or '30 seconds'");
        } else if (value != null && (value.contains("-") || value.toLowerCase(Locale.ROOT).contains("ago"))) {
            error(attribute, describe(value) + " is negative; a duration such as '5 minutes' or '0 seconds' is expected");
        }
    }

    void atLeastOne(String attribute, Integer value) {
        if (value != null && value < 1) {
            error(attribute, "must be 1 or more, not " + value);
        }
    }

    void startValue(String attribute, String value) {
        if (value != null && !START_VALUE.matcher(value).matches()) {
            error(attribute, describe(value) + " is neither a date/timestamp such as '2024-01-01' nor a whole number");
        }
    }

    void dateTruncUnit(String attribute, String value) {
        if (value != null && !DATE_TRUNC_UNIT.matcher(value).matches()) {
            error(attribute, describe(value) + " is not a date_trunc unit (day, week, month, quarter, year, ...)");
        }
    }

    /**
     * A name PostgreSQL or pg_cron keeps as text (job, database or role name): any printable
     * characters, at most 63 bytes, since longer ones are cut short without a word (pg_cron 1.4
     * stores job names as type name).
     */
    void name(String attribute, String value) {
        if (value == null) {
            return;
        }
        if (value.isBlank() || value.codePoints().anyMatch(Character::isISOControl)) {
            error(attribute, describe(value) + " is not a name: it must not be blank or contain control characters");
        } else if (!SqlText.fitsNameLimit(value)) {
            error(attribute, describe(value) + " is longer than 63 bytes, where PostgreSQL and pg_cron 1.4 cut names short");
        }
    }

    void cronSchedule(String attribute, String value) {
        String problem = value == null ? null : CronSchedule.problem(value);
        if (problem != null) {
            error(attribute, describe(value) + " " + problem);
        }
    }

    void oneOf(String attribute, String value, String... allowed) {
        if (value == null) {
            return;
        }
        for (String candidate : allowed) {
            if (candidate.equals(value)) {
                return;
            }
        }
        error(attribute, describe(value) + " must be one of " + String.join(", ", allowed));
    }

    /** Checks each name of a comma-separated column list. */
    void columns(String attribute, String value) {
        columnList(value).forEach(column -> identifier(attribute, column));
    }

    /** The names of a comma-separated column list; none for null or blank. */
    static List<String> columnList(String value) {
        return SqlText.nameList(value);
    }

    /** Why text cannot be read as the given attribute type, or null. */
    static String typeProblem(Class<?> type, String text) {
        if (type == Boolean.class && !text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
            return "is not true or false";
        }
        if (type == Integer.class && !text.matches("[+-]?\\d{1,9}")) {
            return "is not a whole number";
        }
        return null;
    }

    /** A date YAML parsed (in UTC) as the text it was: '2024-01-01', or '2024-01-01 10:30:00+00' with a time. */
    static String dateText(Date date) {
        OffsetDateTime utc = date.toInstant().atOffset(ZoneOffset.UTC);
        return utc.toLocalTime().equals(LocalTime.MIDNIGHT) ? utc.toLocalDate().toString()
                : utc.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")).replaceFirst("\\.?0+$", "") + "+00";
    }

    static boolean isInterval(String value) {
        return INTERVAL.matcher(value.trim()).matches() && !value.trim().isEmpty();
    }

    /** The value as it can be shown in a message: quoted, shortened, control characters escaped. */
    static String describe(String value) {
        String shown = value.length() > 80 ? value.substring(0, 80) + "..." : value;
        StringBuilder out = new StringBuilder("'");
        shown.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append('\'').toString();
    }
}
