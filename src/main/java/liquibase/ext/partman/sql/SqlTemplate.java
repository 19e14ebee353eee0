package liquibase.ext.partman.sql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SQL file under {@code liquibase/ext/partman/sql/} with {@code @NAME@} placeholders, filled
 * with values that went through {@link SqlText}. The files are what the changes send, as a DBA
 * reviews it; Java only decides the values. Rendering refuses a placeholder without a value and a
 * value without a placeholder, so a template and its caller cannot drift apart unnoticed.
 * <p>
 * A placeholder alone on its line is replaced by the value's lines, each indented like the
 * placeholder, or by nothing at all when the value is empty (an optional part). A value inserted
 * within a line goes in as it is (a literal's line breaks are its content); only a {@link #list}
 * lines its later parts up under the placeholder. The file's last line break is not part of the
 * template.
 */
public final class SqlTemplate {

    private static final String FOLDER = "liquibase/ext/partman/sql/";
    private static final Pattern PLACEHOLDER = Pattern.compile("(?m)^( *)@([A-Z][A-Z0-9_]*)@(\\n|\\z)|@([A-Z][A-Z0-9_]*)@");
    private static final Map<String, String> LOADED = new ConcurrentHashMap<>();

    private final String name;
    private final String text;
    private final Map<String, String> values = new LinkedHashMap<>();
    /** Lists, whose parts line up under their placeholder (a part's own line breaks are left alone). */
    private final Map<String, List<String>> lists = new LinkedHashMap<>();

    private SqlTemplate(String name, String text) {
        this.name = name;
        this.text = text;
    }

    /** The template {@code liquibase/ext/partman/sql/<name>.sql}. */
    public static SqlTemplate of(String name) {
        return new SqlTemplate(name, LOADED.computeIfAbsent(name, SqlTemplate::load));
    }

    private static String load(String name) {
        String path = FOLDER + name + ".sql";
        try (InputStream in = SqlTemplate.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("no SQL template " + path);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A string literal. */
    public SqlTemplate literal(String placeholder, String value) {
        return put(placeholder, SqlText.literal(value));
    }

    /** Text between quotes the template writes: the inside of a string literal. */
    public SqlTemplate insideLiteral(String placeholder, String value) {
        String literal = SqlText.literal(value);
        return put(placeholder, literal.substring(1, literal.length() - 1));
    }

    /** Text inside the format string of a RAISE, between quotes the template writes. */
    public SqlTemplate raiseText(String placeholder, String value) {
        return put(placeholder, SqlText.raiseText(value));
    }

    /** A number, or NULL. */
    public SqlTemplate number(String placeholder, Integer value) {
        return put(placeholder, SqlText.integer(value));
    }

    /** true, false or NULL. */
    public SqlTemplate bool(String placeholder, Boolean value) {
        return put(placeholder, SqlText.bool(value));
    }

    /**
     * SQL made of values that went through {@link SqlText} already: another template's output, a
     * quoted name, or an empty string for an optional part left out.
     */
    public SqlTemplate sql(String placeholder, String sql) {
        return put(placeholder, sql);
    }

    /** SQL parts, one per line, separated by commas, lined up under the placeholder. */
    public SqlTemplate list(String placeholder, List<String> parts) {
        lists.put(placeholder, List.copyOf(parts));
        return put(placeholder, String.join(",\n", parts));
    }

    /** SQL parts on one line, separated by commas: a call's arguments. */
    public SqlTemplate arguments(String placeholder, List<String> parts) {
        return put(placeholder, String.join(", ", parts));
    }

    /**
     * Fills every placeholder of this template that {@code shared} names and that has no value yet:
     * SQL (quoted already) that the templates of one script share, so that each of them takes what
     * it uses. Rendering still refuses a placeholder left without a value.
     */
    public SqlTemplate sqlFrom(Map<String, String> shared) {
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            String placeholder = matcher.group(2) != null ? matcher.group(2) : matcher.group(4);
            if (shared.containsKey(placeholder) && !values.containsKey(placeholder)) {
                put(placeholder, shared.get(placeholder));
            }
        }
        return this;
    }

    private SqlTemplate put(String placeholder, String value) {
        if (values.put(placeholder, value) != null) {
            throw new IllegalStateException(name + ".sql: @" + placeholder + "@ given twice");
        }
        return this;
    }

    /** The rendered statements, ending with a line break: a part of a larger PL/pgSQL block. */
    public String renderLines() {
        return render() + "\n";
    }

    public String render() {
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        Set<String> used = new TreeSet<>();
        int copied = 0;
        while (matcher.find()) {
            boolean aloneOnItsLine = matcher.group(2) != null;
            String placeholder = aloneOnItsLine ? matcher.group(2) : matcher.group(4);
            String value = values.get(placeholder);
            if (value == null) {
                throw new IllegalStateException(name + ".sql: no value for @" + placeholder + "@");
            }
            used.add(placeholder);
            out.append(text, copied, matcher.start());
            copied = matcher.end();
            if (lists.containsKey(placeholder) && !value.isEmpty()) {
                String indentation = aloneOnItsLine ? matcher.group(1) : " ".repeat(column(matcher.start()));
                out.append(aloneOnItsLine ? indentation : "").append(String.join(",\n" + indentation, lists.get(placeholder)))
                        .append(aloneOnItsLine ? matcher.group(3) : "");
            } else if (!aloneOnItsLine) {
                // A literal's line breaks are its content.
                out.append(value);
            } else if (!value.isEmpty()) {
                String lines = SqlText.indent(value.endsWith("\n") ? value.substring(0, value.length() - 1) : value, matcher.group(1));
                out.append(lines).append(matcher.group(3));
            } else if (matcher.group(3).isEmpty() && out.length() > 0 && out.charAt(out.length() - 1) == '\n') {
                // The last line of the template, left out: so is the line break before it.
                out.setLength(out.length() - 1);
            }
        }
        out.append(text, copied, text.length());
        Set<String> unused = new TreeSet<>(values.keySet());
        unused.removeAll(used);
        if (!unused.isEmpty()) {
            throw new IllegalStateException(name + ".sql has no placeholder for " + unused);
        }
        return out.toString();
    }

    private int column(int position) {
        return position - (text.lastIndexOf('\n', position - 1) + 1);
    }
}
