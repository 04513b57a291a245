package io.dmjava.model.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.task.TaskConfig.BinlogFilterRule;
import io.dmjava.model.task.TaskConfig.FullMigrateConf;
import io.dmjava.model.task.TaskConfig.IncrMigrateConf;
import io.dmjava.model.task.TaskConfig.RuleSource;
import io.dmjava.model.task.TaskConfig.RuleTarget;
import io.dmjava.model.task.TaskConfig.SourceConf;
import io.dmjava.model.task.TaskConfig.TableMigrateRule;
import io.dmjava.model.task.TaskConfig.TargetConfig;
import io.dmjava.model.task.rules.TableRulesRouter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Reading DM task files: translation of DM's rule sets, and every way a file is refused. */
class TaskYamlReadTest {
    private final TaskYamlConverter converter = new TaskYamlConverter();

    static String resource(String name) throws IOException {
        try (InputStream in = TaskYamlReadTest.class.getResourceAsStream("/task-files/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static TableMigrateRule rule(String source, String schema, String table, RuleTarget target, String... filters) {
        return new TableMigrateRule(new RuleSource(source, schema, table), target, filters.length == 0 ? null : List.of(filters));
    }

    static Optional<TableName> to(String schema, String table) {
        return Optional.of(new TableName(schema, table));
    }

    @Test
    void readsARealisticShardingTask() throws IOException {
        TaskConfig task = converter.fromYaml(resource("sharding-task.yaml"));

        assertThat(task.name()).isEqualTo("shard-merge");
        assertThat(task.taskMode()).isEqualTo("all");
        assertThat(task.shardMode()).isEqualTo("pessimistic");
        assertThat(task.metaSchema()).isEqualTo("dm_meta");
        assertThat(task.enhanceOnlineSchemaChange()).isTrue();
        assertThat(task.onDuplicate()).isEqualTo("error");
        assertThat(task.ignoreCheckingItems()).containsExactly("auto_increment_ID");
        assertThat(task.targetConfig()).isEqualTo(new TargetConfig("192.168.0.1", 4000, "root",
                "/Q7B9DizNLLTTfiZHv9WoEAKamfpIUs=", null,
                Map.of("sql_mode", "ANSI_QUOTES,NO_ZERO_IN_DATE,NO_ZERO_DATE", "tidb_skip_utf8_check", "1")));
        assertThat(task.binlogFilterRule()).containsExactly(
                Map.entry("no-drop", new BinlogFilterRule(List.of("truncate table", "drop table"), null)),
                Map.entry("no-procedures", new BinlogFilterRule(null, List.of("^DROP\\s+PROCEDURE", "^CREATE\\s+PROCEDURE"))));
        assertThat(task.sourceConfig().fullMigrateConf()).isEqualTo(new FullMigrateConf(8, 32, "./dumped_data", "none"));
        assertThat(task.sourceConfig().incrMigrateConf()).isEqualTo(new IncrMigrateConf(32, 200, false));
        assertThat(task.sourceConfig().sourceConf()).containsExactly(
                new SourceConf("mysql-replica-01", "mysql-bin.000001", 4L,
                        "03fc0263-28c7-11e7-a653-6c0b84d59f30:1-7041423,05474d3c-28c7-11e7-8352-203db246dd3d:1-170"),
                new SourceConf("mysql-replica-02", null, null, null));
        RuleTarget merged = new RuleTarget("db", "orders");
        assertThat(task.tableMigrateRule()).containsExactly(
                rule("mysql-replica-01", "db_*", "*", new RuleTarget("db", null), "no-procedures"),
                rule("mysql-replica-01", "db_*", "orders_*", merged, "no-drop"),
                rule("mysql-replica-02", "db_*", "*", new RuleTarget("db", null)),
                rule("mysql-replica-02", "db_*", "orders_*", merged, "no-drop"));

        assertThat(TaskValidator.validate(task, Set.of("mysql-replica-01", "mysql-replica-02"))).isEmpty();
        TableRulesRouter router = TableRules.forSource(task, "mysql-replica-01");
        assertThat(router.route("db_07", "orders_0042")).isEqualTo(to("db", "orders"));
        assertThat(router.route("db_07", "customers")).isEqualTo(to("db", "customers"));
        assertThat(router.route("account", "users")).isEmpty();
        assertThat(router.route("mysql", "user")).isEmpty();
        assertThat(router.binlogFilterRuleNames("db_07", "orders_0042")).containsExactlyInAnyOrder("no-drop", "no-procedures");
        assertThat(router.binlogFilterRuleNames("db_07", "customers")).containsExactly("no-procedures");
        assertThat(TableRules.forSource(task, "mysql-replica-02").binlogFilterRuleNames("db_07", "customers")).isEmpty();
    }

    @Test
    void withoutBlockAllowListEverySchemaIsSelected() {
        TaskConfig task = converter.fromYaml("""
                name: all-of-it
                task-mode: full
                target-database: {host: h, port: 4000, user: root}
                mysql-instances:
                  - source-id: s1
                """);
        assertThat(task.tableMigrateRule()).containsExactly(rule("s1", "*", "*", null));
        assertThat(TableRules.forSource(task, "s1").route("anything", "t")).isEqualTo(to("anything", "t"));
        assertThat(TableRules.forSource(task, "s1").route("performance_schema", "t")).isEmpty();
    }

    @Test
    void routesCoveringPartOfTheSelectionBecomeNarrowerRules() {
        TaskConfig task = converter.fromYaml("""
                name: partial
                task-mode: all
                target-database: {host: h, port: 4000, user: root}
                routes:
                  r: {schema-pattern: "db_*", table-pattern: "orders_*", target-schema: db, target-table: orders}
                block-allow-list:
                  ba: {do-dbs: [db_01, db_02, other]}
                mysql-instances:
                  - {source-id: s, block-allow-list: ba, route-rules: [r]}
                """);
        RuleTarget merged = new RuleTarget("db", "orders");
        assertThat(task.tableMigrateRule()).containsExactly(
                rule("s", "db_01", "*", null), rule("s", "db_02", "*", null), rule("s", "other", "*", null),
                rule("s", "db_01", "orders_*", merged), rule("s", "db_02", "orders_*", merged));
        TableRulesRouter router = TableRules.forSource(task, "s");
        assertThat(router.route("db_01", "orders_9")).isEqualTo(to("db", "orders"));
        assertThat(router.route("db_01", "users")).isEqualTo(to("db_01", "users"));
        assertThat(router.route("db_03", "orders_9")).as("routes never select").isEmpty();
        assertThat(router.route("other", "orders_9")).isEqualTo(to("other", "orders_9"));
    }

    @Test
    void doDbsAndDoTablesMustBothMatchAsInDm() {
        TaskConfig task = converter.fromYaml("""
                name: both
                task-mode: all
                target-database: {host: h, port: 4000, user: root}
                black-white-list:
                  bw:
                    do-dbs: ["db_01", "~^x"]
                    do-tables:
                      - {db-name: "db_*", tbl-name: "orders_*"}
                      - {db-name: "db_02", tbl-name: "users"}
                    ignore-dbs: ["some_db"]
                    ignore-tables: [{db-name: "db_01", tbl-name: "orders_bak"}]
                mysql-instances:
                  - {source-id: s, black-white-list: bw}
                """);
        // ignore-* lists are inert next to do-* lists in DM, and ~^x meets no do-tables db-name literally
        assertThat(task.tableMigrateRule()).containsExactly(rule("s", "db_01", "orders_*", null));
    }

    @Test
    void regexesInTheBlockAllowListAreKept() {
        TaskConfig task = converter.fromYaml("""
                name: regex
                task-mode: all
                target-database: {host: h, port: 4000, user: root}
                block-allow-list:
                  ba:
                    do-tables: [{db-name: "~^shop_[0-9]+$", tbl-name: "~^(orders|users)$"}]
                    ignore-dbs: [mysql, sys]
                mysql-instances:
                  - {source-id: s, block-allow-list: ba}
                """);
        assertThat(task.tableMigrateRule()).containsExactly(rule("s", "~^shop_[0-9]+$", "~^(orders|users)$", null));
        assertThat(TableRules.forSource(task, "s").route("shop_12", "users")).isEqualTo(to("shop_12", "users"));
        assertThat(TableRules.forSource(task, "s").route("shop_12", "items")).isEmpty();
    }

    @Test
    void legacySpellings() {
        TaskConfig task = converter.fromYaml("""
                name: legacy
                task-mode: incremental
                is-sharding: true
                online-ddl-scheme: gh-ost
                enable-heartbeat: true
                remove-meta: false
                target-database: {host: h, port: 4000, user: root}
                loaders: {old: {pool-size: 8, on-duplicate: ignore}}
                mysql-instances:
                  - {source-id: s, loader-config-name: old}
                """);
        assertThat(task.shardMode()).isEqualTo("pessimistic");
        assertThat(task.enhanceOnlineSchemaChange()).isTrue();
        assertThat(task.onDuplicate()).isEqualTo("ignore");
        assertThat(task.sourceConfig().fullMigrateConf()).isEqualTo(new FullMigrateConf(null, 8, null, null));
    }

    @Test
    void perInstanceSettingsMustAgreeWithDmDefaultsCounting() {
        String yaml = """
                name: t
                task-mode: all
                target-database: {host: h, port: 4000, user: root}
                mysql-instances:
                  - {source-id: a, mydumper-thread: %s}
                  - {source-id: b}
                """;
        assertThat(converter.fromYaml(yaml.formatted(4)).sourceConfig().fullMigrateConf().exportThreads()).isEqualTo(4);
        assertUnsupported(yaml.formatted(8), "a different dump threads per instance",
                "mysql-instances[1] uses 4 but mysql-instances[0] uses 8");
    }

    @Test
    void unrepresentableConstructsAreRejectedByName() {
        String head = """
                name: t
                task-mode: all
                target-database: {host: h, port: 4000, user: root}
                """;
        assertUnsupported(head + """
                block-allow-list: {ba: {ignore-dbs: [mysql, logs]}}
                mysql-instances: [{source-id: s, block-allow-list: ba}]
                """, "block-allow-list.ba.ignore-dbs", "do-dbs/do-tables instead");
        assertUnsupported(head + """
                block-allow-list: {ba: {ignore-tables: [{db-name: app, tbl-name: log}]}}
                mysql-instances: [{source-id: s, block-allow-list: ba}]
                """, "block-allow-list.ba.ignore-tables", "do-dbs/do-tables instead");
        assertUnsupported(head + """
                filters: {f: {schema-pattern: "db", events: [insert], action: Do}}
                mysql-instances: [{source-id: s, filter-rules: [f]}]
                """, "filters.f.action Do", "Ignore rule");
        assertUnsupported(head + """
                routes: {r: {schema-pattern: "db_*", target-schema: db, extract-table: {table-regexp: "t_(.*)", target-column: c}}}
                mysql-instances: [{source-id: s, route-rules: [r]}]
                """, "routes.r.extract-table", "remove these keys");
        assertUnsupported(head + """
                expression-filter: {even: {schema: s, table: t, insert-value-expr: "c % 2 = 0"}}
                mysql-instances: [{source-id: s}]
                """, "expression-filter", "remove it");
        assertUnsupported(head + """
                mydumpers: {m: {threads: 4, extra-args: "--consistency none --filter 'a.*'"}}
                mysql-instances: [{source-id: s, mydumper-config-name: m}]
                """, "mydumpers.m.extra-args", "--consistency");
        assertUnsupported(head + """
                mydumpers: {m: {where: "id < 100"}}
                mysql-instances: [{source-id: s, mydumper-config-name: m}]
                """, "mydumpers.m.where", "remove it");
        assertUnsupported(head + """
                loaders: {l: {import-mode: physical}}
                mysql-instances: [{source-id: s, loader-config-name: l}]
                """, "loaders.l.import-mode 'physical'", "logical");
        assertUnsupported(head.replace("user: root}", "user: root, security: {ssl-ca: /etc/ca.pem}}") + """
                mysql-instances: [{source-id: s}]
                """, "target-database.security.ssl-ca", "ssl-ca-base64");
        assertUnsupported(head + """
                validators: {v: {mode: full, worker-count: 4}}
                mysql-instances: [{source-id: s, validator-config-name: v}]
                """, "validators.v.mode 'full'", "mode none");
        assertUnsupported(head + "timezone: Asia/Shanghai\nmysql-instances: [{source-id: s}]\n", "timezone", "remove the key");
        assertUnsupported(head + """
                routes: {r: {schema-pattern: "db_*", table-pattern: "t_*", target-schema: db}}
                block-allow-list: {ba: {do-dbs: ["~^db"]}}
                mysql-instances: [{source-id: s, block-allow-list: ba, route-rules: [r]}]
                """, "route 'r' in mysql-instances[0]", "literal names or 'prefix*' wildcards");
    }

    @Test
    void malformedYamlReportsLineAndColumn() {
        assertThatThrownBy(() -> converter.fromYaml("name: t\ntask-mode: all\n  target-database: [\n"))
                .isInstanceOfSatisfying(DmException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.TASK_FILE_MALFORMED);
                    assertThat(e.getMessage()).startsWith("task file is not valid YAML at line 3, column ");
                });
        assertThatThrownBy(() -> converter.fromYaml("name: t\nname: u\n"))
                .isInstanceOfSatisfying(DmException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.TASK_FILE_MALFORMED);
                    assertThat(e.getMessage()).contains("line 2").contains("Duplicate Object property \"name\"");
                });
    }

    @Test
    void invalidFilesNameTheKey() {
        assertInvalid("name: t\ntaks-mode: all\n", "at taks-mode (near line ", "Unrecognized property \"taks-mode\"");
        assertInvalid("name: t\ntarget-database:\n  port: abc\n", "at target-database.port (near line 3", "");
        assertInvalid("name: t\nmysql-instances:\n  - source-id: s\n    mydumper-thred: 4\n",
                "at mysql-instances[0].mydumper-thred", "");
        assertInvalid("name: t\nmysql-instances: [{source-id: s, route-rules: [nope]}]\n",
                "at mysql-instances[0].route-rules[0]", "'nope' is not defined in routes");
        assertInvalid("name: t\nmysql-instances: [{source-id: s, block-allow-list: nope}]\n",
                "at mysql-instances[0].block-allow-list", "'nope' is not defined in block-allow-list");
        assertInvalid("name: t\nmysql-instances: [{meta: {binlog-pos: 4}}]\n", "at mysql-instances[0].source-id", "is required");
        assertInvalid("name: t\n", "at mysql-instances", "at least one instance");
        assertInvalid("", "at the top level", "the file is empty");
        assertInvalid("---\n# nothing here\n", "at the top level", "the file is empty");
        assertInvalid("- a\n- b\n", "at the top level", "");
        assertInvalid("name: t\nblock-allow-list: {ba: {do-dbs: ['db_[0-9']}}\nmysql-instances: [{source-id: s, block-allow-list: ba}]\n",
                "at block-allow-list.ba.do-dbs[0]", "unclosed character class");
    }

    private void assertUnsupported(String yaml, String construct, String workaround) {
        assertThatThrownBy(() -> converter.fromYaml(yaml))
                .isInstanceOfSatisfying(DmException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.TASK_FILE_UNSUPPORTED);
                    assertThat(e.errorCode().httpStatus()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("task file uses " + construct).contains(workaround);
                });
    }

    private void assertInvalid(String yaml, String where, String what) {
        assertThatThrownBy(() -> converter.fromYaml(yaml))
                .isInstanceOfSatisfying(DmException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.TASK_FILE_INVALID);
                    assertThat(e.getMessage()).contains(where).contains(what);
                });
    }
}
