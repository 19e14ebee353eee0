package liquibase.ext.partman.version;

import java.util.regex.Pattern;

import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.exception.ValidationErrors;
import liquibase.sql.Sql;
import liquibase.sqlgenerator.SqlGeneratorChain;
import liquibase.sqlgenerator.core.AbstractSqlGenerator;
import liquibase.statement.core.RawSqlStatement;

/**
 * Sees the changelog's own SQL ({@code <sql>}, {@code <sqlFile>}) on its way to the server and,
 * when it creates, alters or drops an extension, makes {@link PartmanTargetResolver} forget what
 * it read on this connection: the versions it knows may be about to change. It changes nothing in
 * the SQL; core's generator, next in the chain, writes it. RawSqlStatement is deprecated, but it is
 * what core's sql and sqlFile changes still produce (Liquibase 4.29 to 4.33).
 */
@SuppressWarnings("deprecation")
public class ExtensionChangeWatcher extends AbstractSqlGenerator<RawSqlStatement> {

    private static final Pattern EXTENSION_DDL = Pattern.compile("(?is).*\\b(?:create|alter|drop)\\s+extension\\b.*");

    @Override
    public int getPriority() {
        return PRIORITY_DATABASE + 1;
    }

    @Override
    public boolean supports(RawSqlStatement statement, Database database) {
        return database instanceof PostgresDatabase;
    }

    @Override
    public ValidationErrors validate(RawSqlStatement statement, Database database, SqlGeneratorChain<RawSqlStatement> chain) {
        return chain.validate(statement, database);
    }

    @Override
    public Sql[] generateSql(RawSqlStatement statement, Database database, SqlGeneratorChain<RawSqlStatement> chain) {
        if (statement.getSql() != null && EXTENSION_DDL.matcher(statement.getSql()).matches()) {
            PartmanTargetResolver.forget(database);
        }
        return chain.generateSql(statement, database);
    }
}
