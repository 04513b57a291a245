package io.dmjava.model.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.source.SourceConfig.Security;
import io.dmjava.model.task.TaskConfig.BinlogFilterRule;
import io.dmjava.model.task.TaskConfig.FullMigrateConf;
import io.dmjava.model.task.TaskConfig.IncrMigrateConf;
import io.dmjava.model.task.TaskConfig.RuleSource;
import io.dmjava.model.task.TaskConfig.RuleTarget;
import io.dmjava.model.task.TaskConfig.SourceConf;
import io.dmjava.model.task.TaskConfig.TableMigrateRule;
import io.dmjava.model.task.TaskConfig.TargetConfig;
import io.dmjava.model.task.TaskConfig.TaskSourceConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Writing DM task files and reading them back. */
class TaskYamlWriteTest {
    private final TaskYamlConverter converter = new TaskYamlConverter();

    static String resource(String name) throws IOException {
        try (InputStream in = TaskYamlReadTest.class.getResourceAsStream("/task-files/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static TableMigrateRule rule(String source, String schema, String table, RuleTarget target, String... filters) {
        return new TableMigrateRule(new RuleSource(source, schema, table), target, filters.length == 0 ? null : List.of(filters));
    }

    /** The round trip the converter promises: equal after defaults. */
    void assertRoundTrip(TaskConfig task) {
        TaskConfig expected = TaskValidator.applyDefaults(task);
        String yaml = converter.toYaml(task);
        assertThat(TaskValidator.applyDefaults(converter.fromYaml(yaml))).as(yaml).isEqualTo(expected);
    }

    @Test
    void realisticTaskSurvivesARoundTrip() throws IOException {
        assertRoundTrip(converter.fromYaml(resource("sharding-task.yaml")));
    }

    @Test
    void validatorsTaskSurvivesARoundTrip() {
        assertRoundTrip(TaskFixtures.valid());
    }

    @Test
    void aTaskWithEveryFeatureSurvivesARoundTrip() {
        Map<String, BinlogFilterRule> filters = new LinkedHashMap<>();
        filters.put("no-delete", new BinlogFilterRule(List.of("delete"), null));
        filters.put("no-ddl", new BinlogFilterRule(List.of("all ddl"), List.of("^ALTER")));
        TaskConfig task = new TaskConfig("everything", "incremental", "optimistic", "meta_x", false, "ignore",
                new TargetConfig("db.internal", 3306, "dm", "pw",
                        new Security("-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----", "cert", "key", List.of("dm")),
                        Map.of("time_zone", "+00:00")),
                filters,
                List.of(rule("a", "shop", "*", null, "no-ddl"),
                        rule("a", "shop_*", "orders_*", new RuleTarget("shop", "orders"), "no-delete", "no-ddl"),
                        rule("a", "legacy", "users", new RuleTarget(null, "old_users")),
                        rule("a", "~^tmp_[0-9]+$", "~^t", null),
                        rule("b", "shop_*", "orders_*", new RuleTarget("shop", "orders"), "no-delete"),
                        rule("b", "we ird.db", "tab`le", new RuleTarget("weird", "table"))),
                new TaskSourceConfig(new FullMigrateConf(2, 8, "/var/dm", "snapshot"), new IncrMigrateConf(64, 500, true),
                        List.of(new SourceConf("a", "mysql-bin.000042", 1234L, null),
                                new SourceConf("b", null, null, "0-1-100"))),
                List.of("version", "server_id"));
        TaskConfig expected = TaskValidator.applyDefaults(task);
        TaskConfig back = TaskValidator.applyDefaults(converter.fromYaml(converter.toYaml(task)));
        // a target without schema becomes the (literal) upstream schema: DM routes always name one
        assertThat(back.tableMigrateRule().get(2).target()).isEqualTo(new RuleTarget("legacy", "old_users"));
        assertThat(back).usingRecursiveComparison().ignoringFields("tableMigrateRule").isEqualTo(expected);
        List<TableMigrateRule> rules = new java.util.ArrayList<>(expected.tableMigrateRule());
        rules.set(2, rule("a", "legacy", "users", new RuleTarget("legacy", "old_users")));
        assertThat(back.tableMigrateRule()).isEqualTo(rules);
    }

    @Test
    void aTaskWithDefaultsOnlySurvivesARoundTrip() {
        TaskConfig bare = new TaskConfig("bare", "full", null, null, null, null,
                new TargetConfig("h", 3306, "root", null, null, null), null,
                List.of(rule("s", "app", null, null)),
                new TaskSourceConfig(null, null, List.of(new SourceConf("s", null, null, null))), null);
        assertRoundTrip(bare);
        assertRoundTrip(TaskValidator.applyDefaults(bare));
    }

    @Test
    void tasksDmCannotExpressAreNotWritten() {
        TaskConfig base = TaskFixtures.valid();
        assertNotConvertible(withRules(base, rule("mysql-01", "~^db", "*", new RuleTarget("db", null)),
                rule("mysql-02", "db", "*", null)), "'~' regex, which DM route rules do not accept");
        assertNotConvertible(withRules(base, rule("mysql-01", "db_*", "t", new RuleTarget(null, "t2")),
                rule("mysql-02", "db", "*", null)), "DM route rules need a target-schema");
        assertNotConvertible(withRules(base, rule("mysql-01", "db", "*", null)),
                "source 'mysql-02' has no table_migrate_rule");
    }

    @Test
    void repeatedUseOfOneFilterReadsBackAsOneRule() {
        TaskConfig task = withRules(TaskFixtures.valid(),
                rule("mysql-01", "a_*", "*", null, "no-drop"),
                rule("mysql-01", "a_*", "t_*", new RuleTarget("a", "t"), "no-procedures", "no-drop"),
                rule("mysql-02", "b", "*", null, "no-drop"));
        String yaml = converter.toYaml(task);
        assertThat(yaml).contains("no-drop@2:", "no-drop@3:");
        assertRoundTrip(task);
    }

    private static TaskConfig withRules(TaskConfig t, TableMigrateRule... rules) {
        return new TaskConfig(t.name(), t.taskMode(), t.shardMode(), t.metaSchema(), t.enhanceOnlineSchemaChange(),
                t.onDuplicate(), t.targetConfig(), t.binlogFilterRule(), List.of(rules), t.sourceConfig(),
                t.ignoreCheckingItems());
    }

    private void assertNotConvertible(TaskConfig task, String why) {
        assertThatThrownBy(() -> converter.toYaml(task))
                .isInstanceOfSatisfying(DmException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.TASK_NOT_CONVERTIBLE);
                    assertThat(e.getMessage()).contains(why);
                });
    }
}
