package liquibase.ext.partman.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import liquibase.change.Change;
import liquibase.change.ChangeFactory;
import liquibase.ext.partman.PartmanNamespace;
import liquibase.ext.partman.support.ChangeExamples;
import liquibase.precondition.Precondition;
import liquibase.Scope;
import liquibase.ext.partman.support.NoDatabase;

/** Every change type and precondition of ours has an XSD element with exactly its attributes. */
@NoDatabase
class XsdMatchesClassesTest {

    private static final String XSD = PartmanNamespace.XSD_URL.replaceFirst("^https?://", "");
    private static final String XSD_NS = "http://www.w3.org/2001/XMLSchema";

    @Test
    void xsdAttributesAreTheClassProperties() throws Exception {
        Map<String, Set<String>> fromClasses = new TreeMap<>();
        ChangeFactory changes = Scope.getCurrentScope().getSingleton(ChangeFactory.class);
        for (Change change : ChangeExamples.registeredChanges()) {
            fromClasses.put(change.getSerializedObjectName(), new TreeSet<>(changes.getChangeMetaData(change).getParameters().keySet()));
        }
        for (Precondition precondition : ChangeExamples.registeredPreconditions()) {
            fromClasses.put(precondition.getName(), new TreeSet<>(precondition.getSerializableFields()));
        }
        assertEquals(fromClasses, fromXsd());
    }

    /** Attributes of ours on core elements: a global attribute each, named after the property. */
    @Test
    void xsdDeclaresTheAttributesOnCoreElements() throws Exception {
        Set<String> fromClasses = new TreeSet<>();
        for (Change change : ServiceLoader.load(Change.class)) {
            if (!PartmanNamespace.URI.equals(change.getSerializedObjectNamespace())) {
                change.getSerializableFields().stream()
                        .filter(field -> PartmanNamespace.URI.equals(change.getSerializableFieldNamespace(field)))
                        .forEach(fromClasses::add);
            }
        }
        Set<String> global = new TreeSet<>();
        NodeList attributes = xsd().getDocumentElement().getChildNodes();
        for (int i = 0; i < attributes.getLength(); i++) {
            if (attributes.item(i) instanceof Element element && element.getLocalName().equals("attribute")) {
                global.add(element.getAttribute("name"));
            }
        }
        assertEquals(Set.of("partitionBy"), fromClasses);
        assertEquals(fromClasses, global);
    }

    private static Document xsd() throws Exception {
        try (InputStream in = XsdMatchesClassesTest.class.getClassLoader().getResourceAsStream(XSD)) {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            return factory.newDocumentBuilder().parse(in);
        }
    }

    /** Each top-level element of the shipped XSD with its attributes. */
    static Map<String, Set<String>> fromXsd() throws Exception {
        Document xsd = xsd();
        Map<String, List<String>> groups = new TreeMap<>();
        NodeList groupNodes = xsd.getElementsByTagNameNS(XSD_NS, "attributeGroup");
        for (int i = 0; i < groupNodes.getLength(); i++) {
            Element group = (Element) groupNodes.item(i);
            if (group.hasAttribute("name")) {
                groups.put(group.getAttribute("name"), attributeNames(group));
            }
        }
        Map<String, Set<String>> result = new TreeMap<>();
        NodeList elements = xsd.getElementsByTagNameNS(XSD_NS, "element");
        for (int i = 0; i < elements.getLength(); i++) {
            Element element = (Element) elements.item(i);
            if (!element.getParentNode().getLocalName().equals("schema")) {
                continue;
            }
            Set<String> attributes = new TreeSet<>(attributeNames(element));
            NodeList refs = element.getElementsByTagNameNS(XSD_NS, "attributeGroup");
            for (int j = 0; j < refs.getLength(); j++) {
                attributes.addAll(groups.get(((Element) refs.item(j)).getAttribute("ref")));
            }
            result.put(element.getAttribute("name"), attributes);
        }
        return result;
    }

    private static List<String> attributeNames(Element parent) {
        List<String> names = new ArrayList<>();
        NodeList attributes = parent.getElementsByTagNameNS(XSD_NS, "attribute");
        for (int i = 0; i < attributes.getLength(); i++) {
            names.add(((Element) attributes.item(i)).getAttribute("name"));
        }
        return names;
    }
}
