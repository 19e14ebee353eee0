package liquibase.ext.partman.change;

import java.util.ArrayList;
import java.util.List;

import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.database.Database;
import liquibase.ext.partman.sql.ParentTable;
import liquibase.ext.partman.sql.SqlText;
import liquibase.ext.partman.sql.UndoLog;
import liquibase.ext.partman.version.PartmanTarget;
import liquibase.ext.partman.version.PartmanTargetResolver;

/**
 * Registers a partitioned table with pg_partman ({@code create_parent}). A table that is already
 * registered with the same control column and interval is adopted as it is; rollback unregisters
 * only a table this change registered, and keeps every partition and every row.
 */
@DatabaseChange(name = "createPartmanParent", priority = ChangeMetaData.PRIORITY_DEFAULT,
        description = "Registers a partitioned table with pg_partman (partman.create_parent)")
public class CreatePartmanParentChange extends AbstractTableChange {

    private String controlColumn;
    private String interval;
    private String type;
    private Integer premake;
    private String startPartition;
    private Boolean defaultTable;
    private Boolean automaticMaintenance;
    private String templateTable;
    private Boolean jobmon;
    private String dateTruncInterval;
    private String constraintCols;
    private String timeZone;

    @Override
    protected void validateOtherAttributes(AttributeRules rules) {
        rules.required("controlColumn", controlColumn);
        rules.identifier("controlColumn", controlColumn);
        if (rules.required("interval", interval)) {
            rules.intervalOrCount("interval", interval);
        }
        rules.oneOf("type", type, "range", "list");
        rules.atLeastOne("premake", premake);
        rules.startValue("startPartition", startPartition);
        rules.qualifiedName("templateTable", templateTable);
        rules.dateTruncUnit("dateTruncInterval", dateTruncInterval);
        rules.columns("constraintCols", constraintCols);
        if (timeZone != null && !PartmanTargetResolver.isTimeZoneName(timeZone)) {
            rules.error("timeZone", AttributeRules.describe(timeZone) + " is not a time zone name such as 'UTC' or 'Asia/Tokyo'");
        }
    }

    @Override
    protected String targetProblem(PartmanTarget target) {
        if (Boolean.FALSE.equals(defaultTable) && !target.hasDefaultTableArgument()) {
            return "defaultTable=\"false\" needs pg_partman 5; pg_partman " + target.partman()
                    + " always creates a DEFAULT partition. Remove the attribute.";
        }
        return target.partitionTypeProblem(partitionType());
    }

    @Override
    protected String explicitTimeZone() {
        return timeZone;
    }

    @Override
    protected String sql(PartmanTarget target, Database database) {
        ParentTable parent = parentTable(database);
        UndoLog undo = new UndoLog(database);
        String partConfig = target.partmanObject("part_config");
        return SqlText.doBlock("DECLARE\n"
                + "  v_config record;\n"
                + "  v_session_time_zone text := current_setting('TimeZone');\n"
                + "BEGIN\n"
                + PartmanScripts.requirePartmanInstalled(target)
                + parent.requirePartitioned()
                + undo.createIfMissing()
                + "SELECT control, partition_interval INTO v_config FROM " + partConfig
                + " WHERE parent_table = " + parent.partmanName() + ";\n"
                + "IF FOUND THEN\n"
                + "  IF v_config.control <> " + SqlText.literal(controlColumn) + " OR " + intervalDiffers("v_config.partition_interval") + " THEN\n"
                + "    RAISE EXCEPTION 'table % is already managed by pg_partman with control column % and interval %, not "
                + SqlText.raiseText(controlColumn) + " and " + SqlText.raiseText(interval) + "', " + parent.partmanName()
                + ", v_config.control, v_config.partition_interval\n"
                + "      USING HINT = 'Change premake or retention with setPartmanConfig/setRetention; to change the control "
                + "column or interval, unregister the table first.';\n"
                + "  END IF;\n"
                + "  RAISE NOTICE 'liquibase-partman: % is already managed by pg_partman with the same control column and "
                + "interval; adopting the existing registration unchanged', " + parent.partmanName() + ";\n"
                + "ELSE\n"
                + "  " + PartmanScripts.switchToTimeZone(target, true)
                + "  PERFORM " + target.createParentFunction() + "(" + String.join(", ", createParentArguments(target, parent)) + ");\n"
                + "  PERFORM set_config('TimeZone', v_session_time_zone, true);\n"
                + SqlText.indent(undo.rememberRegistration(changeKey(), parent), "  ")
                + "END IF;\n"
                + "END;");
    }

    /** create_parent's arguments, by name: positions differ between pg_partman 4 and 5. */
    private List<String> createParentArguments(PartmanTarget target, ParentTable parent) {
        List<String> arguments = new ArrayList<>();
        arguments.add("p_parent_table := " + parent.partmanName());
        arguments.add("p_control := " + SqlText.literal(controlColumn));
        arguments.add("p_type := " + SqlText.literal(target.partitionType(partitionType())));
        arguments.add("p_interval := " + SqlText.literal(interval.trim()));
        if (premake != null) {
            arguments.add("p_premake := " + premake);
        }
        if (startPartition != null) {
            arguments.add("p_start_partition := " + SqlText.literal(startPartition));
        }
        if (defaultTable != null && target.hasDefaultTableArgument()) {
            arguments.add("p_default_table := " + defaultTable);
        }
        if (automaticMaintenance != null) {
            arguments.add("p_automatic_maintenance := " + SqlText.literal(automaticMaintenance ? "on" : "off"));
        }
        if (templateTable != null) {
            arguments.add("p_template_table := " + SqlText.literal(qualifiedTemplateTable(parent)));
        }
        if (jobmon != null) {
            arguments.add("p_jobmon := " + jobmon);
        }
        if (dateTruncInterval != null) {
            arguments.add("p_date_trunc_interval := " + SqlText.literal(dateTruncInterval));
        }
        if (constraintCols != null) {
            arguments.add("p_constraint_cols := " + SqlText.textArray(AttributeRules.columnList(constraintCols)));
        }
        return arguments;
    }

    @Override
    protected String rollbackSql(PartmanTarget target, Database database) {
        ParentTable parent = parentTable(database);
        UndoLog undo = new UndoLog(database);
        return SqlText.doBlock((target.hasConfigCleanup() ? "" : "DECLARE\n  v_template text;\n")
                + "BEGIN\n"
                + undo.createIfMissing()
                + "IF " + undo.registeredBy(changeKey(), parent) + " THEN\n"
                + unregister(target, parent)
                + SqlText.indent(undo.forget(changeKey(), parent), "  ")
                + "ELSE\n"
                + "  RAISE NOTICE 'liquibase-partman: % was not registered by this change; its pg_partman registration is left as it is', "
                + parent.partmanName() + ";\n"
                + "END IF;\n"
                + "END;");
    }

    /**
     * Removes the registration, keeping every child and row. pg_partman 5.4+ does exactly that in
     * config_cleanup(), which also follows whatever configuration later versions add; a template
     * the changelog named is the user's and stays. Before 5.4 the same by hand: pg_partman's own
     * template goes only when no other set uses it.
     */
    private String unregister(PartmanTarget target, ParentTable parent) {
        if (target.hasConfigCleanup()) {
            return "  PERFORM " + target.partmanObject("config_cleanup") + "(p_parent_table := " + parent.partmanName()
                    + ", p_template_table := " + SqlText.bool(templateTable == null) + ");\n";
        }
        String partConfig = target.partmanObject("part_config");
        String dropTemplate = templateTable != null ? ""
                : "  IF v_template IS NOT NULL AND NOT EXISTS (SELECT 1 FROM " + partConfig + " WHERE template_table = v_template) THEN\n"
                + "    EXECUTE format('DROP TABLE IF EXISTS %I.%I', split_part(v_template, '.', 1), split_part(v_template, '.', 2));\n"
                + "  END IF;\n";
        return "  DELETE FROM " + target.partmanObject("part_config_sub") + " WHERE sub_parent = " + parent.partmanName() + ";\n"
                + "  DELETE FROM " + partConfig + " WHERE parent_table = " + parent.partmanName() + " RETURNING template_table INTO v_template;\n"
                + dropTemplate;
    }

    private String intervalDiffers(String storedInterval) {
        if (interval.trim().matches("\\d+")) {
            return storedInterval + "::numeric <> " + interval.trim();
        }
        return storedInterval + "::interval <> " + SqlText.literal(interval.trim()) + "::interval";
    }

    private String qualifiedTemplateTable(ParentTable parent) {
        return templateTable.contains(".") ? templateTable : parent.schema() + "." + templateTable;
    }

    private String partitionType() {
        return type == null ? "range" : type;
    }

    @Override
    public String getConfirmationMessage() {
        return "Table " + getTableName() + " registered with pg_partman (interval " + interval + ")";
    }

    @DatabaseChangeProperty(description = "Column whose value decides the partition (time or integer)",
            requiredForDatabase = "all", exampleValue = "stat_date")
    public String getControlColumn() {
        return controlColumn;
    }

    public void setControlColumn(String controlColumn) {
        this.controlColumn = controlColumn;
    }

    @DatabaseChangeProperty(description = "Partition width: a PostgreSQL interval ('1 month') or a whole number for id columns",
            requiredForDatabase = "all", exampleValue = "1 month")
    public String getInterval() {
        return interval;
    }

    public void setInterval(String interval) {
        this.interval = interval;
    }

    @DatabaseChangeProperty(description = "range (default) or list (pg_partman 5.1+); written as 'native' for pg_partman 4",
            requiredForDatabase = "none")
    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    @DatabaseChangeProperty(description = "Partitions kept ahead of the current one (pg_partman's default: 4)",
            requiredForDatabase = "none")
    public Integer getPremake() {
        return premake;
    }

    public void setPremake(Integer premake) {
        this.premake = premake;
    }

    @DatabaseChangeProperty(description = "First partition's start: a date/timestamp or a whole number",
            requiredForDatabase = "none")
    public String getStartPartition() {
        return startPartition;
    }

    public void setStartPartition(String startPartition) {
        this.startPartition = startPartition;
    }

    @DatabaseChangeProperty(description = "Create a DEFAULT partition (pg_partman 5 only; 4.x always creates one)",
            requiredForDatabase = "none")
    public Boolean getDefaultTable() {
        return defaultTable;
    }

    public void setDefaultTable(Boolean defaultTable) {
        this.defaultTable = defaultTable;
    }

    @DatabaseChangeProperty(description = "Whether run_maintenance() without arguments maintains this table",
            requiredForDatabase = "none")
    public Boolean getAutomaticMaintenance() {
        return automaticMaintenance;
    }

    public void setAutomaticMaintenance(Boolean automaticMaintenance) {
        this.automaticMaintenance = automaticMaintenance;
    }

    @DatabaseChangeProperty(description = "Existing template table (table or schema.table); pg_partman creates one when absent",
            requiredForDatabase = "none")
    public String getTemplateTable() {
        return templateTable;
    }

    public void setTemplateTable(String templateTable) {
        this.templateTable = templateTable;
    }

    @DatabaseChangeProperty(description = "Log through pg_jobmon when it is installed", requiredForDatabase = "none")
    public Boolean getJobmon() {
        return jobmon;
    }

    public void setJobmon(Boolean jobmon) {
        this.jobmon = jobmon;
    }

    @DatabaseChangeProperty(description = "date_trunc unit for the first partition's lower bound (custom intervals)",
            requiredForDatabase = "none")
    public String getDateTruncInterval() {
        return dateTruncInterval;
    }

    public void setDateTruncInterval(String dateTruncInterval) {
        this.dateTruncInterval = dateTruncInterval;
    }

    @DatabaseChangeProperty(description = "Comma-separated columns that get constraints on older partitions",
            requiredForDatabase = "none")
    public String getConstraintCols() {
        return constraintCols;
    }

    public void setConstraintCols(String constraintCols) {
        this.constraintCols = constraintCols;
    }

    @DatabaseChangeProperty(description = "Time zone for partition boundaries; defaults to the server's default time zone",
            requiredForDatabase = "none")
    public String getTimeZone() {
        return timeZone;
    }

    public void setTimeZone(String timeZone) {
        this.timeZone = timeZone;
    }
}
