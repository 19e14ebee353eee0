package liquibase.ext.partman.sql;

import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.exception.ValidationErrors;
import liquibase.sql.Sql;
import liquibase.sql.UnparsedSql;
import liquibase.sqlgenerator.SqlGeneratorChain;
import liquibase.sqlgenerator.core.AbstractSqlGenerator;

/** Renders a {@link ScriptStatement}: its text, unchanged, as one statement. */
public class ScriptGenerator extends AbstractSqlGenerator<ScriptStatement> {

    @Override
    public boolean supports(ScriptStatement statement, Database database) {
        return database instanceof PostgresDatabase;
    }

    @Override
    public ValidationErrors validate(ScriptStatement statement, Database database, SqlGeneratorChain<ScriptStatement> chain) {
        ValidationErrors errors = new ValidationErrors();
        errors.checkRequiredField("sql", statement.getSql());
        return errors;
    }

    @Override
    public Sql[] generateSql(ScriptStatement statement, Database database, SqlGeneratorChain<ScriptStatement> chain) {
        return new Sql[] {new UnparsedSql(statement.getSql())};
    }
}
