package liquibase.ext.partman.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;

import liquibase.Scope;
import liquibase.change.Change;
import liquibase.change.ChangeFactory;
import liquibase.change.ChangeParameterMetaData;
import liquibase.ext.partman.PartmanNamespace;
import liquibase.ext.partman.support.NoDatabase;

/**
 * A checksum covers the attributes that are not null. Every attribute of every change type starts
 * as null, and defaults are applied when the SQL is written, so a default chosen differently in a
 * later release never changes the checksum of a changeset a database already ran (the pinned
 * values are in ChangeLogFormatsTest).
 */
@NoDatabase
class ChecksumStabilityTest {

    @Test
    void noAttributeHasAValueUntilTheChangelogGivesOne() {
        ChangeFactory factory = Scope.getCurrentScope().getSingleton(ChangeFactory.class);
        List<String> preset = new ArrayList<>();
        for (Change change : ServiceLoader.load(Change.class)) {
            if (!PartmanNamespace.URI.equals(change.getSerializedObjectNamespace())) {
                continue;
            }
            for (ChangeParameterMetaData parameter : factory.getChangeMetaData(change).getParameters().values()) {
                if (parameter.getCurrentValue(change) != null) {
                    preset.add(change.getSerializedObjectName() + "." + parameter.getParameterName());
                }
            }
        }
        assertEquals(List.of(), preset);
    }
}
