package liquibase.ext.partman.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import liquibase.Scope;
import liquibase.change.Change;
import liquibase.change.ChangeFactory;
import liquibase.ext.partman.support.ChangeExamples;
import liquibase.precondition.Precondition;
import liquibase.ext.partman.support.NoDatabase;

/**
 * The checklist of docs/ARCHITECTURE.md, "Adding a change type", for every change type and
 * precondition META-INF/services registers: each test names the types that miss its item.
 */
@NoDatabase
class EveryChangeTypeIsCompleteTest {

    private static List<String> changeTypes() {
        return ChangeExamples.registeredChanges().stream().map(Change::getSerializedObjectName).toList();
    }

    private static List<String> allTypes() {
        return Stream.concat(changeTypes().stream(), ChangeExamples.registeredPreconditions().stream().map(Precondition::getName)).toList();
    }

    @Test
    void everyTypeHasAnExample() {
        List<String> missing = new ArrayList<>();
        for (String name : allTypes()) {
            try {
                ChangeExamples.of(name);
            } catch (AssertionError none) {
                missing.add(name);
            }
        }
        assertEquals(List.of(), missing, "types with no example in ChangeExamples");
    }

    @Test
    void everyChangeTypeHasAPinnedChecksum() {
        List<String> missing = changeTypes().stream().filter(name -> ChangeExamples.of(name).checksum() == null).toList();
        assertEquals(List.of(), missing, "change types whose example pins no checksum in ChangeExamples");
    }

    /** The example's every-attribute changeset sets each attribute of its change type (the command as the element's text). */
    @Test
    void everyChangeTypesExampleSetsEveryAttribute() {
        List<String> missing = new ArrayList<>();
        for (Change change : ChangeExamples.registeredChanges()) {
            String name = change.getSerializedObjectName();
            String xml = ChangeExamples.of(name).everyAttributeXml();
            for (String attribute : Scope.getCurrentScope().getSingleton(ChangeFactory.class).getChangeMetaData(change).getParameters().keySet()) {
                if (!xml.contains(" " + attribute + "=\"") && !(attribute.equals("command") && xml.contains("\">"))) {
                    missing.add(name + "." + attribute);
                }
            }
        }
        assertEquals(List.of(), missing, "attributes that no every-attribute example in ChangeExamples sets");
    }

    @Test
    void everyTypeHasAnXsdElement() throws Exception {
        Set<String> inXsd = XsdMatchesClassesTest.fromXsd().keySet();
        assertEquals(List.of(), allTypes().stream().filter(name -> !inXsd.contains(name)).toList(), "types with no element in the XSD");
    }

    @Test
    void everyTypeHasADocsPageThatReadmeLinks() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        List<String> missing = new ArrayList<>();
        for (String name : allTypes()) {
            String page = "docs/changes/" + name + ".md";
            if (!Files.exists(Path.of(page)) || !readme.contains("(" + page + ")")) {
                missing.add(name);
            }
        }
        assertEquals(List.of(), missing, "types with no page docs/changes/<name>.md, or no link to it in README");
    }
}
