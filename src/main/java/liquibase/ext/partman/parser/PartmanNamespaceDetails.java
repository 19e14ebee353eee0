package liquibase.ext.partman.parser;

import liquibase.ext.partman.PartmanNamespace;
import liquibase.parser.LiquibaseParser;
import liquibase.parser.NamespaceDetails;
import liquibase.parser.core.xml.XMLChangeLogSAXParser;
import liquibase.serializer.LiquibaseSerializer;
import liquibase.serializer.core.xml.XMLChangeLogSerializer;

/** Gives serialized changelogs the {@code partman:} prefix and the XSD location for our namespace. */
public class PartmanNamespaceDetails implements NamespaceDetails {

    @Override
    public int getPriority() {
        return PRIORITY_EXTENSION;
    }

    @Override
    public boolean supports(LiquibaseSerializer serializer, String namespace) {
        return serializer instanceof XMLChangeLogSerializer && PartmanNamespace.URI.equals(namespace);
    }

    @Override
    public boolean supports(LiquibaseParser parser, String namespace) {
        return parser instanceof XMLChangeLogSAXParser && PartmanNamespace.URI.equals(namespace);
    }

    @Override
    public String getShortName(String namespace) {
        return PartmanNamespace.PREFIX;
    }

    @Override
    public String getSchemaUrl(String namespace) {
        return PartmanNamespace.XSD_URL;
    }

    @Override
    public String[] getNamespaces() {
        return new String[] {PartmanNamespace.URI};
    }
}
