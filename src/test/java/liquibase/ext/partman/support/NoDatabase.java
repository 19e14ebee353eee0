package liquibase.ext.partman.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * Marks a test class that needs no server: {@code mvn -B test -Dgroups=no-database} runs these
 * alone, in seconds (docs/ARCHITECTURE.md, "The fast loop").
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("no-database")
public @interface NoDatabase {
}
