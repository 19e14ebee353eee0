package liquibase.ext.partman;

/** The XML namespace of the change types and where their XSD lives inside the jar. */
public final class PartmanNamespace {

    public static final String URI = "https://liquibase-partman.github.io/xml/ns/partman";
    public static final String PREFIX = "partman";
    /** Lower case: Liquibase lower-cases the schemaLocation before looking it up on the classpath. */
    public static final String XSD_URL = URI + "/liquibase-partman-latest.xsd";

    private PartmanNamespace() {
    }
}
