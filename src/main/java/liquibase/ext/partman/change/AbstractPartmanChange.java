package liquibase.ext.partman.change;

import java.util.Date;

import liquibase.Scope;
import liquibase.change.AbstractChange;
import liquibase.change.ChangeFactory;
import liquibase.change.ChangeParameterMetaData;
import liquibase.changelog.ChangeSet;
import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.exception.UnexpectedLiquibaseException;
import liquibase.exception.ValidationErrors;
import liquibase.ext.partman.PartmanNamespace;
import liquibase.ext.partman.sql.ScriptStatement;
import liquibase.ext.partman.version.PartmanSetting;
import liquibase.ext.partman.version.PartmanTarget;
import liquibase.ext.partman.version.PartmanTargetResolver;
import liquibase.parser.core.ParsedNode;
import liquibase.parser.core.ParsedNodeException;
import liquibase.resource.ResourceAccessor;
import liquibase.statement.SqlStatement;

/**
 * What every change type shares: the versions it writes SQL for, validation before any SQL, and
 * the habit of producing exactly one script, headed by a comment naming those versions.
 */
public abstract class AbstractPartmanChange extends AbstractChange {

    @Override
    public boolean supports(Database database) {
        return database instanceof PostgresDatabase;
    }

    @Override
    public String getSerializedObjectNamespace() {
        return PartmanNamespace.URI;
    }

    /**
     * The one validation path of every change type, in two steps. First the attributes, before any
     * SQL and without a database: {@link #validateAttributes}, where each class adds its checks to
     * those of the class it extends (a table change: {@code schemaName} and {@code tableName}, then
     * {@code validateOtherAttributes}; a pg_cron change: {@code jobName} and {@code username}, then
     * its own). Then, when they pass and there is a database, the versions: a pg_partman setting
     * the target's pg_partman does not have yet ({@link PartmanSetting}), and {@link #targetProblem}.
     */
    @Override
    public final ValidationErrors validate(Database database) {
        AttributeRules rules = new AttributeRules(getSerializedObjectName(), new ValidationErrors(this));
        validateAttributes(rules);
        if (!rules.errors().hasErrors() && database != null) {
            try {
                target(database);
            } catch (UnexpectedLiquibaseException e) {
                rules.errors().addError(e.getMessage());
            }
        }
        return rules.errors();
    }

    /** Adds the change's attribute checks (errors, and warnings through {@link AttributeRules#warning}). */
    protected abstract void validateAttributes(AttributeRules rules);

    /** The SQL this change runs, for the given versions. */
    protected abstract String sql(PartmanTarget target, Database database);

    /** The SQL that undoes this change, or null when there is nothing to undo. */
    protected String rollbackSql(PartmanTarget target, Database database) {
        throw new UnexpectedLiquibaseException(getSerializedObjectName() + " has no automatic rollback");
    }

    /**
     * Refuses a number or flag written as something else, naming the attribute: Liquibase's own
     * conversion would read "maybe" as false and fail on "twelve" without saying where.
     */
    @Override
    public void load(ParsedNode parsedNode, ResourceAccessor resourceAccessor) throws ParsedNodeException {
        for (ChangeParameterMetaData parameter : Scope.getCurrentScope().getSingleton(ChangeFactory.class)
                .getChangeMetaData(this).getParameters().values()) {
            Object raw = parsedNode.getChildValue(null, parameter.getParameterName());
            if (raw instanceof Date date) {
                // YAML reads an unquoted 2024-01-01 as a date at midnight UTC; the attribute wants the text.
                parsedNode.getChild(null, parameter.getParameterName()).setValue(AttributeRules.dateText(date));
                continue;
            }
            if (raw instanceof String text && !text.contains("${")) {
                String problem = AttributeRules.typeProblem(parameter.getDataTypeClass(), text.trim());
                if (problem != null) {
                    throw new ParsedNodeException(getSerializedObjectName() + "." + parameter.getParameterName() + ": "
                            + AttributeRules.describe(text) + " " + problem);
                }
            }
        }
        super.load(parsedNode, resourceAccessor);
    }

    /** Every change type rolls back: by undoing what it did, or with a declared empty rollback. */
    @Override
    public boolean supportsRollback(Database database) {
        return true;
    }

    /** Why these versions cannot carry out this change, or null. */
    protected String targetProblem(PartmanTarget target) {
        return null;
    }

    /** The time zone this change's pg_partman calls must run in, when the user named one. */
    protected String explicitTimeZone() {
        return null;
    }

    @Override
    public SqlStatement[] generateStatements(Database database) {
        PartmanTarget target = target(database);
        return script(target, sql(target, database));
    }

    @Override
    public SqlStatement[] generateRollbackStatements(Database database) {
        PartmanTarget target = target(database);
        return script(target, rollbackSql(target, database));
    }

    private PartmanTarget target(Database database) {
        PartmanTarget target = PartmanTargetResolver.resolve(database, getChangeSet(), explicitTimeZone());
        String problem = settingProblem(target);
        if (problem == null) {
            problem = targetProblem(target);
        }
        if (problem != null) {
            throw new UnexpectedLiquibaseException(getSerializedObjectName() + ": " + problem);
        }
        return target;
    }

    /** Why these versions cannot take a pg_partman setting this change gives, or null. */
    private String settingProblem(PartmanTarget target) {
        for (PartmanSetting setting : PartmanSetting.givenBy(getSerializedObjectName())) {
            String problem = getSerializableFieldValue(setting.attribute()) == null ? null : target.settingProblem(setting);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static SqlStatement[] script(PartmanTarget target, String sql) {
        if (sql == null) {
            return new SqlStatement[0];
        }
        return new SqlStatement[] {new ScriptStatement(target.headerComment() + "\n" + sql)};
    }

    /**
     * Identifies this change in the undo log: the changeset as DATABASECHANGELOG knows it, plus the
     * change's position in it.
     */
    protected String changeKey() {
        ChangeSet changeSet = getChangeSet();
        if (changeSet == null) {
            return getSerializedObjectName();
        }
        String path = changeSet.getStoredFilePath() != null ? changeSet.getStoredFilePath() : changeSet.getFilePath();
        return path + "::" + changeSet.getId() + "::" + changeSet.getAuthor() + "::" + changeSet.getChanges().indexOf(this);
    }
}
