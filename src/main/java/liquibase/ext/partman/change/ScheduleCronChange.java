package liquibase.ext.partman.change;

import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.serializer.LiquibaseSerializable.SerializationType;

/** Creates or updates a named pg_cron job that runs the given command (see {@link AbstractScheduleChange}). */
@DatabaseChange(name = "scheduleCron", priority = ChangeMetaData.PRIORITY_DEFAULT,
        description = "Creates or updates a named pg_cron job (cron.schedule / cron.schedule_in_database)")
public class ScheduleCronChange extends AbstractScheduleChange {

    private String command;

    @Override
    protected void validateOtherAttributes(AttributeRules rules) {
        super.validateOtherAttributes(rules);
        if (rules.required("command", command) && command.indexOf('\0') >= 0) {
            rules.error("command", "contains the NUL character, which PostgreSQL text cannot hold");
        }
    }

    @Override
    protected String command() {
        return command;
    }

    @DatabaseChangeProperty(description = "SQL the job runs, stored unchanged; as an attribute or as the element's text",
            requiredForDatabase = "all", serializationType = SerializationType.DIRECT_VALUE,
            exampleValue = "CALL partman.run_maintenance_proc()")
    public String getCommand() {
        return command;
    }

    public void setCommand(String command) {
        this.command = command;
    }
}
