package io.dmjava.model.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.task.TaskConfig.BinlogFilterRule;
import io.dmjava.model.task.TaskConfig.FullMigrateConf;
import io.dmjava.model.task.TaskConfig.IncrMigrateConf;
import io.dmjava.model.task.TaskConfig.RuleSource;
import io.dmjava.model.task.TaskConfig.RuleTarget;
import io.dmjava.model.task.TaskConfig.SourceConf;
import io.dmjava.model.task.TaskConfig.TableMigrateRule;
import io.dmjava.model.task.TaskConfig.TargetConfig;
import io.dmjava.model.task.TaskConfig.TaskSourceConfig;
import io.dmjava.model.task.TaskFixtures.Builder;
import io.dmjava.model.task.TaskValidator.Problem;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TaskValidatorTest {
    // fixtures: TaskFixtures.TaskFixtures.valid() and TaskFixtures.Builder
    static final Set<String> KNOWN = Set.of("mysql-01", "mysql-02", "mariadb-01");

    static List<Problem> problems(TaskConfig task) {
        return TaskValidator.validate(task, KNOWN);
    }

    static List<String> fields(TaskConfig task) {
        return problems(task).stream().map(Problem::field).toList();
    }

    static TaskConfig with(UnaryOperator<Builder> change) {
        return change.apply(new Builder(TaskFixtures.valid())).build();
    }

    @Test
    void aValidTaskHasNoProblem() {
        assertThat(problems(TaskFixtures.valid())).isEmpty();
        assertThat(problems(TaskValidator.applyDefaults(TaskFixtures.valid()))).isEmpty();
    }

    @Test
    void aMinimalTaskIsValid() {
        TaskConfig minimal = new TaskConfig("t1", "full", null, null, null, null,
                new TargetConfig("127.0.0.1", 3306, "root", null, null, null), null,
                List.of(new TableMigrateRule(new RuleSource("mysql-01", "app", null), null, null)),
                new TaskSourceConfig(null, null, List.of(new SourceConf("mysql-01", null, null, null))), null);
        assertThat(problems(minimal)).isEmpty();
    }

    @Test
    void name() {
        assertThat(fields(with(b -> b.name(null)))).containsExactly("name");
        assertThat(fields(with(b -> b.name("")))).containsExactly("name");
        assertThat(fields(with(b -> b.name("my task")))).containsExactly("name");
        assertThat(fields(with(b -> b.name("a/b")))).containsExactly("name");
        assertThat(fields(with(b -> b.name("x".repeat(65))))).containsExactly("name");
        assertThat(fields(with(b -> b.name("Task_1.v2-final")))).isEmpty();
    }

    @Test
    void modes() {
        assertThat(fields(with(b -> b.taskMode(null)))).containsExactly("task_mode");
        assertThat(problems(with(b -> b.taskMode("sync")))).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("'sync'", "full, incremental, all, dump, load"));
        for (String mode : TaskValidator.TASK_MODES) {
            assertThat(fields(with(b -> b.taskMode(mode)))).as(mode).isEmpty();
        }
        assertThat(fields(with(b -> b.shardMode("strict")))).containsExactly("shard_mode");
        assertThat(fields(with(b -> b.shardMode("")))).isEmpty();
        assertThat(fields(with(b -> b.shardMode("pessimistic")))).isEmpty();
        assertThat(problems(with(b -> b.shardMode("optimistic")))).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("not supported yet", "pessimistic"));
        assertThat(fields(with(b -> b.onDuplicate("overwrite")))).containsExactly("on_duplicate");
        assertThat(fields(with(b -> b.onDuplicate("ignore")))).isEmpty();
        assertThat(fields(with(b -> b.metaSchema("dm meta")))).containsExactly("meta_schema");
        assertThat(fields(with(b -> b.metaSchema("")))).containsExactly("meta_schema");
        assertThat(fields(with(b -> b.metaSchema("dm_meta$2")))).isEmpty();
    }

    @Test
    void target() {
        assertThat(fields(with(b -> b.target(null)))).containsExactly("target_config");
        assertThat(fields(with(b -> b.target(new TargetConfig("", 0, " ", null, null, null)))))
                .containsExactly("target_config.host", "target_config.port", "target_config.user");
        assertThat(fields(with(b -> b.target(new TargetConfig("h", null, "u", null, null, null)))))
                .containsExactly("target_config.port");
        assertThat(fields(with(b -> b.target(new TargetConfig("h", 65536, "u", null, null, null)))))
                .containsExactly("target_config.port");
        assertThat(fields(with(b -> b.target(new TargetConfig("h", 65535, "u", null, null, null))))).isEmpty();
    }

    @Test
    void sources() {
        assertThat(fields(with(b -> b.sourceConf(List.of())))).contains("source_config.source_conf");
        assertThat(fields(new Builder(TaskFixtures.valid()).sourceConfig(null).build())).contains("source_config.source_conf");
        List<SourceConf> bad = Arrays.asList(new SourceConf("mysql-01", null, null, null),
                new SourceConf("nope", null, null, null), new SourceConf("mysql-01", null, null, null),
                new SourceConf(null, null, null, null), null);
        assertThat(problems(with(b -> b.sourceConf(bad))).stream().filter(p -> p.field().startsWith("source_config")))
                .extracting(Problem::toString)
                .containsExactly(
                        "source_config.source_conf[1].source_name: source 'nope' does not exist; create it first (POST /api/v1/sources) or correct the name",
                        "source_config.source_conf[2].source_name: source 'mysql-01' is listed more than once",
                        "source_config.source_conf[3].source_name: is required",
                        "source_config.source_conf[4]: is empty; give at least source_name",
                        "source_config.source_conf[1].source_name: source 'nope' has no table_migrate_rule, so nothing "
                                + "would be migrated from it; add a rule or remove the source");
    }

    @Test
    void aSourceWithoutRulesMigratesNothing() {
        assertThat(fields(with(b -> b.sourceConf(List.of(new SourceConf("mysql-01", null, null, null),
                new SourceConf("mysql-02", null, null, null), new SourceConf("mariadb-01", null, null, null))))))
                .containsExactly("source_config.source_conf[2].source_name");
    }

    @Test
    void incrementalStartPositions() {
        UnaryOperator<Builder> incremental = b -> b.taskMode("incremental");
        assertThat(fields(with(b -> incremental.apply(b).sourceConf(List.of(
                new SourceConf("mysql-01", null, 4L, null),
                new SourceConf("mysql-02", "mysql-bin.000003", null, null))))))
                .containsExactly("source_config.source_conf[0].binlog_name", "source_config.source_conf[1].binlog_pos");
        assertThat(fields(with(b -> incremental.apply(b).sourceConf(List.of(
                new SourceConf("mysql-01", "mysql-bin.000003", 1234L, null),
                new SourceConf("mysql-02", null, null, "3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5"))))))
                .isEmpty();
        // other modes start where their dump was taken, so a half-given position is not an error there
        assertThat(fields(with(b -> b.sourceConf(List.of(new SourceConf("mysql-01", null, 4L, null),
                new SourceConf("mysql-02", null, null, null)))))).isEmpty();
        assertThat(fields(with(b -> b.sourceConf(List.of(new SourceConf("mysql-01", "binlog", 1L, null),
                new SourceConf("mysql-02", null, null, null))))))
                .containsExactly("source_config.source_conf[0].binlog_name", "source_config.source_conf[0].binlog_pos");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5",
            "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:11:20-30",
            "03fc0263-28c7-11e7-a653-6c0b84d59f30:1-7041423,05474d3c-28c7-11e7-8352-203db246dd3d:1-170",
            "03fc0263-28c7-11e7-a653-6c0b84d59f30:1-7041423,\n 05474d3c-28c7-11e7-8352-203db246dd3d:1-170",
            "3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5:mytag:1-3",
            "0-1-100",
            "0-1-100,1-2-200",
            "4294967295-4294967295-18446744073709551615"})
    void validGtidSets(String gtid) {
        assertThat(fields(with(b -> b.sourceConf(List.of(new SourceConf("mysql-01", null, null, gtid),
                new SourceConf("mysql-02", null, null, null)))))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "3E11FA47-71CA-11E1-9E33-C80AA9429562",
            "3E11FA47-71CA-11E1-9E33-C80AA9429562:",
            "3E11FA47-71CA-11E1-9E33:1-5",
            "3E11FA47-71CA-11E1-9E33-C80AA9429562:5-1",
            "3E11FA47-71CA-11E1-9E33-C80AA9429562:0-3",
            "3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5,",
            "3E11FA47-71CA-11E1-9E33-C80AA9429562:a-b",
            "0-1",
            "0-1-x",
            "4294967296-1-1",
            "0-1-100;1-2-3",
            "mysql-bin.000001"})
    void invalidGtidSets(String gtid) {
        assertThat(problems(with(b -> b.sourceConf(List.of(new SourceConf("mysql-01", null, null, gtid),
                new SourceConf("mysql-02", null, null, null))))))
                .singleElement()
                .satisfies(p -> {
                    assertThat(p.field()).isEqualTo("source_config.source_conf[0].binlog_gtid");
                    assertThat(p.message()).contains("is not a GTID set");
                });
    }

    @Test
    void tableRules() {
        assertThat(fields(with(b -> b.rules(List.of())))).contains("table_migrate_rule");
        assertThat(fields(with(b -> b.rules(null)))).contains("table_migrate_rule");
        List<TableMigrateRule> rules = Arrays.asList(
                new TableMigrateRule(new RuleSource("mysql-01", "db_*", "orders_*"), new RuleTarget("db", "orders"), null),
                null,
                new TableMigrateRule(new RuleSource("mysql-03", "db", null), null, null),
                new TableMigrateRule(new RuleSource(null, "", null), null, null),
                new TableMigrateRule(new RuleSource("mysql-02", "~(db", "orders_[0-9"), null, null),
                new TableMigrateRule(new RuleSource("mysql-02", "db", "t"), new RuleTarget("db_*", "t?"), null),
                new TableMigrateRule(new RuleSource("mysql-02", "db", null), new RuleTarget("", "all_in_one"), null),
                new TableMigrateRule(new RuleSource("mysql-02", "x", "t"), new RuleTarget("~x", "y".repeat(65)), List.of("missing")),
                new TableMigrateRule(new RuleSource("mysql-01", "db_*", "orders_*"), new RuleTarget("elsewhere", null), null));
        assertThat(fields(with(b -> b.rules(rules)))).containsExactly(
                "table_migrate_rule[1].source",
                "table_migrate_rule[2].source.source_name",
                "table_migrate_rule[3].source.source_name",
                "table_migrate_rule[3].source.schema",
                "table_migrate_rule[4].source.schema",
                "table_migrate_rule[4].source.table",
                "table_migrate_rule[5].target.schema",
                "table_migrate_rule[5].target.table",
                "table_migrate_rule[6].target.schema",
                "table_migrate_rule[6].target.table",
                "table_migrate_rule[7].target.schema",
                "table_migrate_rule[7].target.table",
                "table_migrate_rule[7].binlog_filter_rule[0]",
                "table_migrate_rule[8].target");
    }

    @Test
    void patternErrorsQuoteTheCompiler() {
        List<Problem> found = problems(with(b -> b.rules(List.of(
                new TableMigrateRule(new RuleSource("mysql-01", "~(db", "orders_[0-9"), null, null),
                new TableMigrateRule(new RuleSource("mysql-02", "db", null), null, null)))));
        assertThat(found).extracting(Problem::toString).containsExactly(
                "table_migrate_rule[0].source.schema: '~(db' is not a valid regular expression: Unclosed group near index 3",
                "table_migrate_rule[0].source.table: 'orders_[0-9' is not a valid wildcard pattern: unclosed character class '[' near index 7");
    }

    @Test
    void binlogFilterRules() {
        Map<String, BinlogFilterRule> filters = new LinkedHashMap<>();
        filters.put("no-drop", new BinlogFilterRule(List.of("drop table", "DROP DATABASE", "drop everything"), null));
        filters.put("no-procedures", new BinlogFilterRule(null, List.of("^DROP\\s+PROCEDURE", "(", " ")));
        filters.put("empty", new BinlogFilterRule(List.of(), null));
        filters.put("null", null);
        assertThat(fields(with(b -> b.filters(filters)))).containsExactly(
                "binlog_filter_rule.no-drop.ignore_event[2]",
                "binlog_filter_rule.no-procedures.ignore_sql[1]",
                "binlog_filter_rule.no-procedures.ignore_sql[2]",
                "binlog_filter_rule.empty",
                "binlog_filter_rule.null");
    }

    @Test
    void everyDocumentedEventIsAccepted() {
        Map<String, BinlogFilterRule> filters = new LinkedHashMap<>(TaskFixtures.valid().binlogFilterRule());
        filters.put("all", new BinlogFilterRule(io.dmjava.model.task.rules.BinlogEventTypes.DOCUMENTED, null));
        assertThat(fields(with(b -> b.filters(filters)))).isEmpty();
    }

    @Test
    void tuning() {
        assertThat(fields(with(b -> b.full(new FullMigrateConf(0, 257, " ", "fast")))))
                .containsExactly("source_config.full_migrate_conf.export_threads",
                        "source_config.full_migrate_conf.import_threads",
                        "source_config.full_migrate_conf.data_dir",
                        "source_config.full_migrate_conf.consistency");
        assertThat(fields(with(b -> b.incr(new IncrMigrateConf(-1, 10_001, true)))))
                .containsExactly("source_config.incr_migrate_conf.repl_threads",
                        "source_config.incr_migrate_conf.repl_batch");
        assertThat(fields(with(b -> b.full(new FullMigrateConf(256, 1, "/data", "snapshot"))
                .incr(new IncrMigrateConf(256, 10_000, null))))).isEmpty();
    }

    @Test
    void ignoreCheckingItemsMustNotBeBlank() {
        assertThat(fields(with(b -> b.ignoreChecking(List.of("version", ""))))).containsExactly("ignore_checking_items[1]");
    }

    @Test
    void exceptionListsEveryProblem() {
        TaskConfig bad = with(b -> b.name("").taskMode("x").target(new TargetConfig("h", 0, "u", null, null, null)));
        assertThatThrownBy(() -> TaskValidator.requireValid(bad, KNOWN))
                .isInstanceOfSatisfying(TaskValidationException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.TASK_INVALID);
                    assertThat(e.errorCode().httpStatus()).isEqualTo(400);
                    assertThat(e.problems()).hasSize(3);
                    assertThat(e.getMessage()).startsWith("task config is invalid: name: is required; task_mode: 'x' is not allowed;")
                            .contains("; target_config.port: 0 is out of range; use a value from 1 to 65535; workaround:");
                });
        TaskValidator.requireValid(TaskFixtures.valid(), KNOWN);
    }

    @Test
    void defaults() {
        TaskConfig bare = new TaskConfig("t", "all", "", null, null, null, null, null,
                List.of(new TableMigrateRule(new RuleSource("s", "db", null), null, null)), null, null);
        TaskConfig d = TaskValidator.applyDefaults(bare);
        assertThat(d.shardMode()).isNull();
        assertThat(d.metaSchema()).isEqualTo("dm_meta");
        assertThat(d.onDuplicate()).isEqualTo("replace");
        assertThat(d.enhanceOnlineSchemaChange()).isTrue();
        assertThat(d.sourceConfig().fullMigrateConf()).isEqualTo(new FullMigrateConf(4, 16, "./dumped_data", "auto"));
        assertThat(d.sourceConfig().incrMigrateConf()).isEqualTo(new IncrMigrateConf(16, 100, false));
        assertThat(d.sourceConfig().sourceConf()).isNull();
        assertThat(d.tableMigrateRule().get(0).source().table()).isEqualTo("*");
        assertThat(TaskValidator.applyDefaults(d)).isEqualTo(d);
        TaskConfig given = TaskFixtures.valid();
        TaskConfig kept = TaskValidator.applyDefaults(with(b -> b.full(new FullMigrateConf(8, null, null, "none"))
                .incr(new IncrMigrateConf(null, 500, true)).onDuplicate("error").metaSchema("meta")));
        assertThat(kept.sourceConfig().fullMigrateConf()).isEqualTo(new FullMigrateConf(8, 16, "./dumped_data", "none"));
        assertThat(kept.sourceConfig().incrMigrateConf()).isEqualTo(new IncrMigrateConf(16, 500, true));
        assertThat(kept.onDuplicate()).isEqualTo("error");
        assertThat(kept.metaSchema()).isEqualTo("meta");
        assertThat(TaskValidator.applyDefaults(given).tableMigrateRule()).isEqualTo(given.tableMigrateRule());
    }
}
