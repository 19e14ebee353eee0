package liquibase.ext.partman.change;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.change.core.CreateTableChange;
import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.exception.ValidationErrors;
import liquibase.ext.partman.PartmanNamespace;
import liquibase.ext.partman.sql.PartitionedCreateTableStatement;
import liquibase.ext.partman.sql.SqlText;
import liquibase.statement.core.CreateTableStatement;

/**
 * Core's createTable on PostgreSQL with one more attribute, {@code partman:partitionBy}, for a
 * table declared with {@code PARTITION BY}: what generate-changelog writes for a partitioned
 * parent, so that it reads back, applies and rolls back (dropTable) like any createTable. Without
 * the attribute it is core's createTable, unchanged, checksum included.
 */
@DatabaseChange(name = "createTable", description = "Creates a table, partitioned when partman:partitionBy is given",
        priority = ChangeMetaData.PRIORITY_DEFAULT + 50)
public class PartitionedCreateTableChange extends CreateTableChange {

    private static final Pattern KEY = Pattern.compile("(?i)\\s*(range|list|hash)\\s*\\((.*)\\)\\s*");

    private String partitionBy;

    @Override
    public boolean supports(Database database) {
        return database instanceof PostgresDatabase;
    }

    @Override
    public String getSerializableFieldNamespace(String field) {
        return "partitionBy".equals(field) ? PartmanNamespace.URI : super.getSerializableFieldNamespace(field);
    }

    @Override
    public ValidationErrors validate(Database database) {
        ValidationErrors errors = super.validate(database);
        if (partitionBy != null) {
            AttributeRules rules = new AttributeRules("createTable", errors);
            Matcher key = KEY.matcher(partitionBy);
            if (!key.matches() || key.group(2).isBlank()) {
                rules.error("partitionBy", AttributeRules.describe(partitionBy) + " is not a partition key such as "
                        + "'RANGE (stat_date)', 'LIST (region)' or 'HASH (id)' (columns only, no expressions)");
            } else {
                rules.columns("partitionBy", key.group(2));
            }
        }
        return errors;
    }

    @Override
    protected CreateTableStatement generateCreateTableStatement() {
        CreateTableStatement plain = super.generateCreateTableStatement();
        if (partitionBy == null) {
            return plain;
        }
        Matcher key = KEY.matcher(partitionBy);
        if (!key.matches()) {
            throw new IllegalArgumentException("createTable.partitionBy: " + AttributeRules.describe(partitionBy) + " is not a partition key");
        }
        List<String> columns = AttributeRules.columnList(key.group(2));
        String clause = "PARTITION BY " + key.group(1).toUpperCase(Locale.ROOT) + " ("
                + columns.stream().map(SqlText::identifier).collect(Collectors.joining(", ")) + ")";
        return new PartitionedCreateTableStatement(plain, clause);
    }

    @DatabaseChangeProperty(description = "Partition key of a partitioned table: 'RANGE (column, ...)', 'LIST (column)' "
            + "or 'HASH (column, ...)'; the table is created with PARTITION BY", requiredForDatabase = "none")
    public String getPartitionBy() {
        return partitionBy;
    }

    public void setPartitionBy(String partitionBy) {
        this.partitionBy = partitionBy;
    }
}
