package liquibase.ext.partman.sql;

import liquibase.statement.AbstractSqlStatement;

/** One script of a change: sent to the server as written, printed as written by updateSQL. */
public class ScriptStatement extends AbstractSqlStatement {

    private final String sql;

    public ScriptStatement(String sql) {
        this.sql = sql;
    }

    public String getSql() {
        return sql;
    }
}
