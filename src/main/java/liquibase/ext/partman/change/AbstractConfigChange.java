package liquibase.ext.partman.change;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

import liquibase.database.Database;
import liquibase.ext.partman.sql.ParentTable;
import liquibase.ext.partman.sql.SqlTemplate;
import liquibase.ext.partman.sql.SqlText;
import liquibase.ext.partman.sql.UndoLog;
import liquibase.ext.partman.version.PartmanSetting;
import liquibase.ext.partman.version.PartmanTarget;

/**
 * A change to columns of a table's {@code part_config} row. The row is copied to the
 * {@link UndoLog} first, so rollback restores exactly the values this change replaced.
 */
abstract class AbstractConfigChange extends AbstractTableChange {

    /**
     * The part_config columns this change sets, with their new values as SQL: the settings it owns
     * ({@link PartmanSetting#ownedBy}) that the changelog gives, in the table's order.
     */
    protected final Map<String, String> assignments() {
        Map<String, String> columns = new LinkedHashMap<>();
        for (PartmanSetting setting : PartmanSetting.ownedBy(getSerializedObjectName())) {
            Object value = getSerializableFieldValue(setting.attribute());
            if (value != null) {
                columns.put(setting.column(), setting.sql(value));
            }
        }
        return columns;
    }

    /** The table's and the settings' checks (validateOtherAttributes), then: a change that sets nothing is refused. */
    @Override
    protected void validateAttributes(AttributeRules rules) {
        super.validateAttributes(rules);
        if (!rules.errors().hasErrors() && assignments().isEmpty()) {
            rules.error("*", "sets nothing: give at least one of its attributes besides schemaName and tableName");
        }
    }

    @Override
    protected String sql(PartmanTarget target, Database database) {
        ParentTable parent = parentTable(database);
        UndoLog undo = new UndoLog(database);
        String partConfig = target.partmanObject("part_config");
        return commentBefore(target, parent, database) + SqlText.doBlock(SqlTemplate.of("config/update")
                .sql("REQUIRE_PARTMAN", PartmanScripts.requirePartmanInstalled(target))
                .sql("REQUIRE_REGISTERED", parent.requireRegistered(partConfig))
                .sql("CREATE_UNDO_TABLE", undo.createIfMissing())
                .sql("BEFORE_UPDATE", beforeUpdate(target, parent))
                .sql("REMEMBER_CONFIG", undo.rememberConfig(changeKey(), parent, partConfig))
                .sql("PART_CONFIG", partConfig)
                .list("ASSIGNMENTS", assignments().entrySet().stream()
                        .map(column -> SqlText.identifier(column.getKey()) + " = " + column.getValue()).toList())
                .sql("PARENT", parent.partmanName())
                .sql("AFTER_UPDATE", afterUpdate(target, parent))
                .render());
    }

    /** SQL comment lines that go before the script (they show in updateSQL output). */
    protected String commentBefore(PartmanTarget target, ParentTable parent, Database database) {
        return "";
    }

    /** PL/pgSQL that may refuse the change before anything is written. */
    protected String beforeUpdate(PartmanTarget target, ParentTable parent) {
        return "";
    }

    /** PL/pgSQL run after the update, in the same transaction (it may still stop the change). */
    protected String afterUpdate(PartmanTarget target, ParentTable parent) {
        return "";
    }

    @Override
    protected String rollbackSql(PartmanTarget target, Database database) {
        ParentTable parent = parentTable(database);
        UndoLog undo = new UndoLog(database);
        String partConfig = target.partmanObject("part_config");
        return SqlText.doBlock(SqlTemplate.of("config/rollback")
                .sql("CREATE_UNDO_TABLE", undo.createIfMissing())
                .sql("RESTORE_CONFIG", undo.restoreConfig(changeKey(), parent, partConfig, new ArrayList<>(assignments().keySet())))
                .sql("FORGET", undo.forget(changeKey(), parent))
                .render());
    }
}
