package liquibase.ext.partman.sql;

import liquibase.statement.core.CreateTableStatement;

/** Core's CREATE TABLE statement, plus the PARTITION BY clause that goes after its column list. */
public class PartitionedCreateTableStatement extends CreateTableStatement {

    private final String partitionByClause;

    /** Takes over everything the plain statement was given; columns and constraints are added afterwards as usual. */
    public PartitionedCreateTableStatement(CreateTableStatement plain, String partitionByClause) {
        super(plain.getCatalogName(), plain.getSchemaName(), plain.getTableName(), plain.getRemarks(), plain.getTableType(),
                plain.isIfNotExists(), plain.isRowDependencies());
        this.partitionByClause = partitionByClause;
    }

    public String getPartitionByClause() {
        return partitionByClause;
    }
}
