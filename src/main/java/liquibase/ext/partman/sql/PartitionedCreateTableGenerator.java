package liquibase.ext.partman.sql;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.exception.ValidationErrors;
import liquibase.sql.Sql;
import liquibase.sql.UnparsedSql;
import liquibase.sqlgenerator.SqlGeneratorChain;
import liquibase.sqlgenerator.core.AbstractSqlGenerator;
import liquibase.structure.DatabaseObject;

/**
 * Core's CREATE TABLE, with the PARTITION BY clause put where PostgreSQL wants it: after the
 * column list, before a TABLESPACE clause.
 */
public class PartitionedCreateTableGenerator extends AbstractSqlGenerator<PartitionedCreateTableStatement> {

    private static final Pattern TABLESPACE_AT_END = Pattern.compile("(?s)(.*?)(\\s+TABLESPACE\\s+\\S+)?");

    @Override
    public int getPriority() {
        return PRIORITY_DATABASE + 1;
    }

    @Override
    public boolean supports(PartitionedCreateTableStatement statement, Database database) {
        return database instanceof PostgresDatabase;
    }

    @Override
    public ValidationErrors validate(PartitionedCreateTableStatement statement, Database database,
                                     SqlGeneratorChain<PartitionedCreateTableStatement> chain) {
        return chain.validate(statement, database);
    }

    @Override
    public Sql[] generateSql(PartitionedCreateTableStatement statement, Database database,
                             SqlGeneratorChain<PartitionedCreateTableStatement> chain) {
        Sql[] sql = chain.generateSql(statement, database);
        Matcher createTable = TABLESPACE_AT_END.matcher(sql[0].toSql());
        if (!createTable.matches()) {
            throw new IllegalStateException("unexpected CREATE TABLE text: " + sql[0].toSql());
        }
        String tablespace = createTable.group(2) == null ? "" : createTable.group(2);
        sql[0] = new UnparsedSql(createTable.group(1) + " " + statement.getPartitionByClause() + tablespace,
                sql[0].getEndDelimiter(), sql[0].getAffectedDatabaseObjects().toArray(new DatabaseObject[0]));
        return sql;
    }
}
