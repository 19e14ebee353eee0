package liquibase.ext.partman.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import liquibase.ChecksumVersion;
import liquibase.Scope;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.ClassLoaderResourceAccessor;

/**
 * Users' databases store the checksum of every changeset of the pack they ran; editing a released
 * changeset makes their next update fail validation. So every changeset is pinned here, with the
 * default parameters, under the path it is stored with; statistics-cron.xml's too. A failure here means: put the edit back,
 * and add a new changeset instead. A new changeset gets its line here.
 */
class PackChecksumTest {

    private static final String FOLDER = "liquibase-partman/changelogs/statistics/";

    private static final Map<String, String> PINNED = Map.ofEntries(
            Map.entry(FOLDER + "extensions.xml::extension-pg_cron", "9:a5dc1b7788122ee53bccc98ea205d07f"),
            Map.entry(FOLDER + "extensions.xml::extension-pg_partman", "9:e815501dbbe4b1da1457299d96537189"),
            Map.entry(FOLDER + "tables.xml::statistics_daily_users-table", "9:7228913bd244bf888aac84b1dbea0823"),
            Map.entry(FOLDER + "tables.xml::statistics_monthly_users-table", "9:8acf38880d5004d3625d20249186fd5a"),
            Map.entry(FOLDER + "tables.xml::statistics_yearly_users-table", "9:0b9e54642123a5213142e99a2f3b53d5"),
            Map.entry(FOLDER + "policies.xml::statistics_daily_users-policy", "9:7a8821a64b18c06fec1d0e02f284b9e6"),
            Map.entry(FOLDER + "policies.xml::statistics_monthly_users-policy", "9:e1f3d3281911810d32035ac69c97ce05"),
            Map.entry(FOLDER + "policies.xml::statistics_yearly_users-policy", "9:f75787c5bf94c0cfc09a269a0dc20e9b"),
            Map.entry(FOLDER + "maintenance.xml::maintenance-job", "9:249f95893b08700723dc80c4f56f45db"),
            Map.entry(FOLDER + "health.xml::health-view", "9:a8f0cb453d30be2f4603b765e7a5db64"),
            Map.entry("liquibase-partman/changelogs/statistics-cron.xml::maintenance-job-in-database", "9:5b3c78d7166fff4642f3bd205eb90418"),
            Map.entry(FOLDER + "health.xml::health-view-2", "9:52376bd96cbc26f2c7713693e59f824a"),
            Map.entry(FOLDER + "maintenance.xml::maintenance-procedure", "9:28e33bff391d10afb64a602b8e90b3f0"),
            Map.entry(FOLDER + "maintenance.xml::maintenance-job-2", "9:d234fb1fce17fd01ece0a46a3c376b5d"),
            Map.entry("liquibase-partman/changelogs/statistics-cron.xml::maintenance-job-in-database-2", "9:64f31edb18715423b92be95aff11cc1a"),
            Map.entry(FOLDER + "health.xml::health-view-3", "9:896b324feeb07895f9df97aafda2efb9"),
            Map.entry(FOLDER + "health.xml::health-config-function", "9:c4035e147e0dd591dbe26b7610b433b7"),
            Map.entry(FOLDER + "health.xml::health-view-via-function", "9:2f4a0978c356410943f172131668d8ab"),
            Map.entry(FOLDER + "maintenance.xml::maintenance-procedure-2", "9:28e33bff391d10afb64a602b8e90b3f0"),
            Map.entry(FOLDER + "convert.xml::statistics_daily_users-convert", "9:2df1bc6868fd4e711d0a4bb20187e237"),
            Map.entry(FOLDER + "convert.xml::statistics_monthly_users-convert", "9:844b1d9a043f917e3328d70b547c9144"),
            Map.entry(FOLDER + "convert.xml::statistics_yearly_users-convert", "9:ce73f8dca27bca95085fb54773374637"));

    @Test
    void everyChangeSetOfThePackKeepsItsChecksum() throws Exception {
        Map<String, String> actual = new LinkedHashMap<>();
        List<ChangeSet> changeSets = new ArrayList<>(parse(PackChangeLog.PACK).getChangeSets());
        changeSets.addAll(parse(PackChangeLog.CRON_JOB).getChangeSets());
        for (ChangeSet changeSet : changeSets) {
            assertEquals("liquibase-partman", changeSet.getAuthor(), changeSet::toString);
            actual.put(changeSet.getFilePath() + "::" + changeSet.getId(), changeSet.generateCheckSum(ChecksumVersion.V9).toString());
        }
        assertEquals(PackChangeLog.CHANGE_SETS + PackChangeLog.CONVERT_CHANGE_SETS + 2, actual.size());
        assertEquals(new TreeMap<>(PINNED), new TreeMap<>(actual));
    }

    private static DatabaseChangeLog parse(String changeLog) throws Exception {
        ClassLoaderResourceAccessor classpath = new ClassLoaderResourceAccessor(PackChecksumTest.class.getClassLoader());
        try {
            return Scope.child(Map.of(Scope.Attr.resourceAccessor.name(), classpath),
                    () -> ChangeLogParserFactory.getInstance().getParser(changeLog, classpath)
                            .parse(changeLog, new ChangeLogParameters(), classpath));
        } finally {
            classpath.close();
        }
    }
}
