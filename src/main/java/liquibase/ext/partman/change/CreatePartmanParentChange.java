package liquibase.ext.partman.change;

import java.util.ArrayList;
import java.util.List;

import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.database.Database;
import liquibase.ext.partman.sql.ParentTable;
import liquibase.ext.partman.sql.SqlTemplate;
import liquibase.ext.partman.sql.SqlText;
import liquibase.ext.partman.sql.UndoLog;
import liquibase.ext.partman.version.PartmanSetting;
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
        boolean countInterval = interval.trim().matches("\\d+");
        return SqlText.doBlock(SqlTemplate.of("createPartmanParent/register")
                .sql("REQUIRE_PARTMAN", PartmanScripts.requirePartmanInstalled(target, true))
                .sql("REQUIRE_PARTITIONED", parent.requirePartitioned())
                .sql("CREATE_UNDO_TABLE", undo.createIfMissing())
                .sql("PART_CONFIG", target.partmanObject("part_config"))
                .sql("PARENT", parent.partmanName())
                .literal("CONTROL", controlColumn)
                .sql("INTERVAL_TYPE", countInterval ? "numeric" : "interval")
                .sql("INTERVAL", countInterval ? interval.trim() : SqlText.literal(interval.trim()) + "::interval")
                .raiseText("CONTROL_TEXT", controlColumn)
                .raiseText("INTERVAL_TEXT", interval)
                .sql("SET_TIME_ZONE", PartmanScripts.switchToTimeZone(target, true))
                .sql("EXISTING_CHILDREN", SqlTemplate.of("createPartmanParent/existing-children")
                        .sql("REGCLASS", parent.regclassText()).renderLines())
                .sql("CREATE_PARENT", target.createParentFunction())
                .arguments("ARGUMENTS", createParentArguments(target, parent, startPartition != null
                        ? "coalesce(v_resume_from, " + SqlText.literal(startPartition) + ")" : "v_resume_from"))
                .sql("PUT_BACK_SET_ASIDE", SqlTemplate.of("createPartmanParent/put-back-set-aside")
                        .sql("REGCLASS", parent.regclassText()).renderLines())
                .sql("KEEP_CHILD_NAMING", keepChildNaming(target, parent))
                .sql("REMEMBER_REGISTRATION", undo.rememberRegistration(changeKey(), parent))
                .render());
    }

    /**
     * create_parent's arguments, by name (positions differ between pg_partman 4 and 5), in the
     * order of its signature; a setting's argument name is its row's in {@link PartmanSetting}.
     * partitionExistingTable registers its new table with the same arguments.
     *
     * @param start the SQL of p_start_partition: this change's starts after the partitions the table already has
     */
    List<String> createParentArguments(PartmanTarget target, ParentTable parent, String start) {
        List<String> arguments = new ArrayList<>();
        arguments.add("p_parent_table := " + parent.partmanName());
        arguments.add(PartmanSetting.CONTROL_COLUMN.argument(SqlText.literal(controlColumn)));
        arguments.add(PartmanSetting.TYPE.argument(SqlText.literal(target.partitionType(partitionType()))));
        arguments.add(PartmanSetting.INTERVAL.argument(SqlText.literal(interval.trim())));
        if (premake != null) {
            arguments.add(PartmanSetting.PREMAKE.argument(PartmanSetting.PREMAKE.sql(premake)));
        }
        // After the partitions the table already has, if any (existing-children.sql).
        arguments.add("p_start_partition := " + start);
        if (defaultTable != null && target.hasDefaultTableArgument()) {
            arguments.add("p_default_table := " + defaultTable);
        }
        if (automaticMaintenance != null) {
            arguments.add(PartmanSetting.AUTOMATIC_MAINTENANCE.argument(PartmanSetting.AUTOMATIC_MAINTENANCE.sql(automaticMaintenance)));
        }
        if (templateTable != null) {
            arguments.add(PartmanSetting.TEMPLATE_TABLE.argument(SqlText.literal(qualifiedTemplateTable(parent))));
        }
        if (jobmon != null) {
            arguments.add(PartmanSetting.JOBMON.argument(PartmanSetting.JOBMON.sql(jobmon)));
        }
        if (dateTruncInterval != null) {
            arguments.add(PartmanSetting.DATE_TRUNC_INTERVAL.argument(PartmanSetting.DATE_TRUNC_INTERVAL.sql(dateTruncInterval)));
        }
        if (constraintCols != null) {
            // An empty list is sent as an empty array, as it always was (setPartmanConfig writes NULL).
            arguments.add(PartmanSetting.CONSTRAINT_COLS.argument(SqlText.textArray(AttributeRules.columnList(constraintCols))));
        }
        return arguments;
    }

    /** After create_parent: a table registered with the partitions it had keeps their naming. */
    private static String keepChildNaming(PartmanTarget target, ParentTable parent) {
        return SqlTemplate.of("createPartmanParent/keep-child-naming")
                .sql("PART_CONFIG", target.partmanObject("part_config")).sql("PARENT", parent.partmanName())
                .sql("NAMINGS", SqlText.textArray(target.childNamings()))
                .sql("CHECK_NAME_LENGTH", target.partmanObject("check_name_length")).literal("TABLE_NAME", parent.table())
                .sql("REGCLASS", parent.regclassText()).renderLines();
    }

    @Override
    protected String rollbackSql(PartmanTarget target, Database database) {
        ParentTable parent = parentTable(database);
        UndoLog undo = new UndoLog(database);
        return SqlText.doBlock(SqlTemplate.of("createPartmanParent/rollback")
                .sql("DECLARATIONS", target.hasConfigCleanup() ? "" : SqlTemplate.of("createPartmanParent/template-variable").render())
                .sql("CREATE_UNDO_TABLE", undo.createIfMissing())
                .sql("REGISTERED_BY_THIS_CHANGE", undo.registeredBy(changeKey(), parent))
                .sql("UNREGISTER", unregister(target, parent))
                .sql("FORGET", undo.forget(changeKey(), parent))
                .sql("PARENT", parent.partmanName())
                .render());
    }

    /**
     * Removes the registration, keeping every child and row. pg_partman 5.4+ does exactly that in
     * config_cleanup(), which also follows whatever configuration later versions add; a template
     * the changelog named is the user's and stays. Before 5.4 the same by hand: pg_partman's own
     * template goes only when no other set uses it.
     */
    private String unregister(PartmanTarget target, ParentTable parent) {
        if (target.hasConfigCleanup()) {
            return SqlTemplate.of("createPartmanParent/unregister-with-config-cleanup")
                    .sql("CONFIG_CLEANUP", target.partmanObject("config_cleanup")).sql("PARENT", parent.partmanName())
                    .bool("DROP_TEMPLATE", templateTable == null).renderLines();
        }
        return unregisterByHand(target, parent);
    }

    /** The registration removed from part_config by hand (into v_template), pg_partman's own template if no other set uses it. */
    protected String unregisterByHand(PartmanTarget target, ParentTable parent) {
        String partConfig = target.partmanObject("part_config");
        return SqlTemplate.of("createPartmanParent/unregister-by-hand")
                .sql("PART_CONFIG_SUB", target.partmanObject("part_config_sub")).sql("PART_CONFIG", partConfig)
                .sql("PARENT", parent.partmanName())
                .sql("DROP_TEMPLATE", templateTable != null ? ""
                        : SqlTemplate.of("createPartmanParent/drop-unused-template").sql("PART_CONFIG", partConfig).render())
                .renderLines();
    }

    private String qualifiedTemplateTable(ParentTable parent) {
        return templateTable.contains(".") ? templateTable : parent.schema() + "." + templateTable;
    }

    private String partitionType() {
        return type == null ? (String) PartmanSetting.TYPE.defaultValue() : type;
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
