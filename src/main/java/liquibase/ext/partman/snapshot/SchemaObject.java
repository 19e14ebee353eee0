package liquibase.ext.partman.snapshot;

import liquibase.structure.AbstractDatabaseObject;
import liquibase.structure.DatabaseObject;
import liquibase.structure.core.Schema;

/** A database object known by its name within one schema; all else it has is attributes. */
public abstract class SchemaObject extends AbstractDatabaseObject {

    protected SchemaObject() {
    }

    protected SchemaObject(Schema schema, String name) {
        setAttribute("schema", schema);
        setAttribute("name", name);
    }

    @Override
    public DatabaseObject[] getContainingObjects() {
        return null;
    }

    @Override
    public String getName() {
        return getAttribute("name", String.class);
    }

    @Override
    public SchemaObject setName(String name) {
        setAttribute("name", name);
        return this;
    }

    @Override
    public Schema getSchema() {
        return getAttribute("schema", Schema.class);
    }

    public SchemaObject setSchema(Schema schema) {
        setAttribute("schema", schema);
        return this;
    }
}
