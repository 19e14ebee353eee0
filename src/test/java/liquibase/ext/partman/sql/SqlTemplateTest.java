package liquibase.ext.partman.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import liquibase.ext.partman.support.NoDatabase;

/** The one template helper: values through SqlText, nothing missing, nothing left over. */
@NoDatabase
class SqlTemplateTest {

    private static SqlTemplate sample() {
        return SqlTemplate.of("test/sample");
    }

    @Test
    void fillsQuotedValuesAndIndentsLines() {
        String sql = sample().sql("BODY", "a;\nb;").list("LIST", List.of("x = 1", "y = 2")).raiseText("NAME", "o'k 100%")
                .literal("VALUE", "it's").render();
        assertEquals("BEGIN\n  a;\n  b;\n  SET x = 1,\n      y = 2\n  RAISE NOTICE 'table o''k 100%%', 'it''s';\nEND;", sql);
    }

    @Test
    void aLiteralsLineBreaksArriveAsTheyAre() {
        String sql = sample().sql("BODY", "").list("LIST", List.of("x = 'a\nb'", "y = 1")).raiseText("NAME", "t")
                .literal("VALUE", "line one\n  line two").render();
        assertTrue(sql.contains(", 'line one\n  line two';\n"), sql);
        assertTrue(sql.contains("SET x = 'a\nb',\n      y = 1\n"), sql);
    }

    @Test
    void anEmptyPartAloneOnItsLineLeavesNoLine() {
        String sql = sample().sql("BODY", "").list("LIST", List.of("x = 1")).raiseText("NAME", "t").literal("VALUE", null).render();
        assertEquals("BEGIN\n  SET x = 1\n  RAISE NOTICE 'table t', NULL;\nEND;", sql);
    }

    @Test
    void refusesAMissingValue() {
        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> sample().sql("BODY", "").list("LIST", List.of()).raiseText("NAME", "t").render());
        assertTrue(failure.getMessage().contains("no value for @VALUE@"), failure::getMessage);
    }

    @Test
    void refusesAValueWithoutAPlaceholder() {
        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> sample().sql("BODY", "")
                .list("LIST", List.of()).raiseText("NAME", "t").literal("VALUE", "v").literal("EXTRA", "e").render());
        assertTrue(failure.getMessage().contains("no placeholder for [EXTRA]"), failure::getMessage);
    }

    /** Shared values fill the placeholders the template has, leave out those it has not, and never replace a value given. */
    @Test
    void sharedValuesFillOnlyThePlaceholdersThereAre() {
        Map<String, String> shared = Map.of("BODY", "x;", "VALUE", "1", "UNUSED", "y;");
        String sql = sample().raiseText("NAME", "t").literal("VALUE", "v").sqlFrom(shared).list("LIST", List.of("a = 1")).render();
        assertTrue(sql.contains("  x;\n") && sql.contains("'table t', 'v';") && !sql.contains("y;"), sql);
        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> sample().sqlFrom(Map.of("BODY", "")).render());
        assertTrue(failure.getMessage().contains("no value for @LIST@"), failure::getMessage);
    }

    @Test
    void refusesNulInAValue() {
        assertThrows(IllegalArgumentException.class, () -> sample().literal("VALUE", "a\0b"));
    }
}
