package liquibase.ext.partman.sql;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The one place where identifiers and literals become SQL text. Every value a change puts into
 * SQL goes through here, so that no attribute can end a literal or an identifier early.
 */
public final class SqlText {

    /** PostgreSQL's limit for names; longer ones are cut short without a word. */
    public static final int MAX_NAME_BYTES = 63;

    /** Letters, digits, underscore and dollar: PostgreSQL's unquoted identifier characters. */
    private static final Pattern PLAIN_IDENTIFIER = Pattern.compile("[\\p{L}_][\\p{L}\\p{N}_$]*");

    private SqlText() {
    }

    /**
     * Whether the name has only the characters PostgreSQL reads unquoted (letters, digits, '_' and
     * '$', not first), the only names pg_partman handles: it splits {@code schema.table} at the dot
     * and quotes parts itself in some places and not in others.
     */
    public static boolean hasPlainIdentifierCharacters(String name) {
        return PLAIN_IDENTIFIER.matcher(name).matches();
    }

    /** A plain identifier that also fits PostgreSQL's length limit. */
    public static boolean isPlainIdentifier(String name) {
        return hasPlainIdentifierCharacters(name) && fitsNameLimit(name);
    }

    public static boolean fitsNameLimit(String name) {
        return name.getBytes(StandardCharsets.UTF_8).length <= MAX_NAME_BYTES;
    }

    /** A double-quoted identifier; embedded double quotes are doubled. */
    public static String identifier(String name) {
        rejectNul(name);
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** {@code "schema"."name"}. */
    public static String qualified(String schema, String name) {
        return identifier(schema) + '.' + identifier(name);
    }

    /**
     * A standard-conforming string literal. With {@code standard_conforming_strings} on (the
     * default since PostgreSQL 9.1) backslashes are ordinary characters, so doubling the single
     * quotes is the whole job; an {@code E''} literal is never produced.
     */
    public static String literal(String value) {
        if (value == null) {
            return "NULL";
        }
        rejectNul(value);
        return '\'' + value.replace("'", "''") + '\'';
    }

    public static String bool(Boolean value) {
        return value == null ? "NULL" : value.toString();
    }

    public static String integer(Integer value) {
        return value == null ? "NULL" : value.toString();
    }

    /** The names of a comma-separated list ("a, b"), trimmed; none for null or blank. */
    public static List<String> nameList(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(String::trim).toList();
    }

    /** {@code ARRAY['a','b']::text[]}. */
    public static String textArray(List<String> values) {
        if (values == null) {
            return "NULL";
        }
        return values.stream().map(SqlText::literal).collect(Collectors.joining(",", "ARRAY[", "]::text[]"));
    }

    /**
     * Wraps a PL/pgSQL body in dollar quotes whose tag does not occur in the body, so text
     * inside the body (literals carrying {@code $$}, for instance) can never close it.
     */
    public static String dollarQuoted(String body) {
        String tag = "$partman$";
        for (int n = 1; body.contains(tag); n++) {
            tag = "$partman" + n + "$";
        }
        return tag + body + tag;
    }

    /** {@code DO $tag$ ... $tag$} around a PL/pgSQL block that starts with DECLARE or BEGIN. */
    public static String doBlock(String block) {
        return "DO " + dollarQuoted("\n" + block + "\n");
    }

    /** Text inside the format string of a RAISE, where ' ends the literal and % takes an argument. */
    public static String raiseText(String value) {
        return value.replace("'", "''").replace("%", "%%");
    }

    /** Every non-empty line of the text, prefixed with the given indentation. */
    public static String indent(String lines, String indentation) {
        return lines.replaceAll("(?m)^(?=.)", Matcher.quoteReplacement(indentation));
    }

    private static void rejectNul(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("PostgreSQL text cannot contain the NUL character");
        }
    }
}
