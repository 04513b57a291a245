package io.dmjava.model.task.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.task.TableName;
import io.dmjava.model.task.TableRouter;
import io.dmjava.model.task.TableRules;
import io.dmjava.model.task.TaskConfig;
import io.dmjava.model.task.TaskConfig.RuleSource;
import io.dmjava.model.task.TaskConfig.RuleTarget;
import io.dmjava.model.task.TaskConfig.TableMigrateRule;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TableRulesRouterTest {

    static TableMigrateRule rule(String source, String schema, String table, String targetSchema, String targetTable,
                                 String... filters) {
        RuleTarget target = targetSchema == null && targetTable == null ? null : new RuleTarget(targetSchema, targetTable);
        return new TableMigrateRule(new RuleSource(source, schema, table), target,
                filters.length == 0 ? null : List.of(filters));
    }

    static TaskConfig task(TableMigrateRule... rules) {
        return new TaskConfig("t", "all", null, null, null, null, null, Map.of(), List.of(rules), null, null);
    }

    static Optional<TableName> to(String schema, String table) {
        return Optional.of(new TableName(schema, table));
    }

    @Test
    void manyShardsMergeIntoOneTable() {
        TableRouter router = TableRules.forSource(task(
                rule("mysql-01", "db_*", "orders_*", "db", "orders")), "mysql-01");
        for (int db = 1; db <= 64; db++) {
            for (int t = 0; t < 1024; t += 97) {
                String schema = String.format("db_%02d", db);
                String table = String.format("orders_%04d", t);
                assertThat(router.route(schema, table)).as(schema + "." + table).isEqualTo(to("db", "orders"));
            }
        }
        assertThat(router.route("db_01", "customers")).isEmpty();
        assertThat(router.route("dbx_01", "orders_0001")).isEmpty();
    }

    @Test
    void onlyTheGivenSourceCounts() {
        TaskConfig task = task(rule("a", "db", "*", null, null), rule("b", "other", "*", null, null));
        assertThat(TableRules.forSource(task, "a").route("db", "t")).isEqualTo(to("db", "t"));
        assertThat(TableRules.forSource(task, "a").route("other", "t")).isEmpty();
        assertThat(TableRules.forSource(task, "b").route("other", "t")).isEqualTo(to("other", "t"));
        assertThat(TableRules.forSource(task, "c").route("db", "t")).isEmpty();
        assertThat(TableRules.forSource(task, "c").schemaMayMatch("db")).isFalse();
    }

    @Test
    void absentTargetKeepsUpstreamNamesAndPartialTargetsKeepTheOtherPart() {
        TableRouter router = TableRules.forSource(task(
                rule("s", "keep", null, null, null),
                rule("s", "app_*", null, "app", null),
                rule("s", "legacy", "users", null, "legacy_users")), "s");
        assertThat(router.route("keep", "anything")).isEqualTo(to("keep", "anything"));
        assertThat(router.route("app_1", "users")).isEqualTo(to("app", "users"));
        assertThat(router.route("legacy", "users")).isEqualTo(to("legacy", "legacy_users"));
        assertThat(router.route("legacy", "other")).isEmpty();
    }

    @Test
    void mostSpecificTargetWinsWhateverTheOrder() {
        TaskConfig task = task(
                rule("s", "db_*", null, "merged", null),                     // whole schemas
                rule("s", "db_*", "orders_*", "merged", "orders"),           // table wildcard
                rule("s", "db_01", "orders_special", "special", "orders"));  // exact table
        TableRouter router = TableRules.forSource(task, "s");
        assertThat(router.route("db_01", "orders_special")).isEqualTo(to("special", "orders"));
        assertThat(router.route("db_02", "orders_special")).isEqualTo(to("merged", "orders"));
        assertThat(router.route("db_01", "orders_7")).isEqualTo(to("merged", "orders"));
        assertThat(router.route("db_01", "users")).isEqualTo(to("merged", "users"));
    }

    @Test
    void literalSchemaBeatsSchemaPatternForEqualTableParts() {
        TableRouter router = TableRules.forSource(task(
                rule("s", "db_*", "t", "a", null),
                rule("s", "db_01", "t", "b", null)), "s");
        assertThat(router.route("db_01", "t")).isEqualTo(to("b", "t"));
        assertThat(router.route("db_02", "t")).isEqualTo(to("a", "t"));
    }

    @Test
    void onATieTheEarlierRuleWins() {
        TableRouter router = TableRules.forSource(task(
                rule("s", "db_*", "t_*", "first", null),
                rule("s", "db_*", "t_?", "second", null)), "s");
        assertThat(router.route("db_1", "t_1")).isEqualTo(to("first", "t_1"));
    }

    @Test
    void aRuleWithoutTargetOnlySelectsAndNeverCancelsARoute() {
        TableRouter router = TableRules.forSource(task(
                rule("s", "db_*", "orders_*", "db", "orders"),
                rule("s", "db_01", "orders_01", null, null, "no-delete"),
                rule("s", "db_02", "orders_02", "db_02", "orders_02")), "s");
        assertThat(router.route("db_01", "orders_01")).isEqualTo(to("db", "orders"));
        // to keep one table's name, route it to itself
        assertThat(router.route("db_02", "orders_02")).isEqualTo(to("db_02", "orders_02"));
    }

    @Test
    void systemSchemasAreNeverMigrated() {
        TableRouter router = TableRules.forSource(task(
                rule("s", "*", null, null, null),
                rule("s", "mysql", "user", "copy", "user")), "s");
        for (String system : List.of("mysql", "information_schema", "performance_schema", "sys",
                "INFORMATION_SCHEMA", "MySQL")) {
            assertThat(router.route(system, "user")).as(system).isEmpty();
            assertThat(router.schemaMayMatch(system)).as(system).isFalse();
        }
        assertThat(router.route("mysql_app", "user")).isEqualTo(to("mysql_app", "user"));
        assertThat(router.route("sys2", "t")).isEqualTo(to("sys2", "t"));
    }

    @Test
    void matchingIsCaseSensitiveLikeMysqlOnLinux() {
        TableRouter router = TableRules.forSource(task(rule("s", "Shop", "Orders_*", null, null)), "s");
        assertThat(router.route("Shop", "Orders_1")).isPresent();
        assertThat(router.route("shop", "Orders_1")).isEmpty();
        assertThat(router.route("Shop", "orders_1")).isEmpty();
    }

    @Test
    void oddNamesAreOrdinaryCharacters() {
        TableRouter router = TableRules.forSource(task(
                rule("s", "my.db", "a.b", "t.x", "y z"),
                rule("s", "we ird", "`tick`*", null, null),
                rule("s", "ünï*", "表_?", "unicode", null)), "s");
        assertThat(router.route("my.db", "a.b")).isEqualTo(to("t.x", "y z"));
        assertThat(router.route("myXdb", "a.b")).isEmpty();
        assertThat(router.route("we ird", "`tick`s")).isEqualTo(to("we ird", "`tick`s"));
        assertThat(router.route("ünïcode", "表_1")).isEqualTo(to("unicode", "表_1"));
        assertThat(router.route("ünïcode", "表_12")).isEmpty();
    }

    @Test
    void regexRules() {
        TableRouter router = TableRules.forSource(task(
                rule("s", "~^shard_\\d+$", "~^t_", "merged", null)), "s");
        assertThat(router.route("shard_7", "t_x")).isEqualTo(to("merged", "t_x"));
        assertThat(router.route("shard_7x", "t_x")).isEmpty();
        assertThat(router.route("shard_7", "xt_x")).isEmpty();
        assertThat(router.schemaMayMatch("shard_12")).isTrue();
        assertThat(router.schemaMayMatch("shard_")).isFalse();
    }

    @Test
    void schemaMayMatchLooksAtSchemaPatternsOnly() {
        TableRouter router = TableRules.forSource(task(rule("s", "db_0?", "orders", null, null)), "s");
        assertThat(router.schemaMayMatch("db_01")).isTrue();
        assertThat(router.schemaMayMatch("db_10")).isFalse();
    }

    @Test
    void binlogFilterNamesComeFromEveryMatchingRuleMostSpecificFirst() {
        TaskConfig task = task(
                rule("s", "db_*", null, null, null, "no-drop", "no-truncate"),
                rule("s", "db_*", "orders_*", "db", "orders", "no-delete", "no-drop"),
                rule("s", "db_01", "orders_01", null, null, "no-update"),
                rule("other", "db_*", null, null, null, "other-source"));
        assertThat(TableRules.binlogFilterRuleNames(task, "s", new TableName("db_01", "orders_01")))
                .containsExactly("no-update", "no-delete", "no-drop", "no-truncate");
        assertThat(TableRules.binlogFilterRuleNames(task, "s", new TableName("db_02", "users")))
                .containsExactly("no-drop", "no-truncate");
        assertThat(TableRules.binlogFilterRuleNames(task, "s", new TableName("x", "users"))).isEmpty();
        assertThat(TableRules.binlogFilterRuleNames(task, "s", new TableName("mysql", "user"))).isEmpty();
    }

    @Test
    void anInvalidPatternIsReportedWithItsField() {
        assertThatThrownBy(() -> TableRules.forSource(task(rule("s", "ok", null, null, null),
                rule("s", "db", "~(", null, null)), "s"))
                .isInstanceOf(DmException.class)
                .hasMessageContaining("table_migrate_rule[1].source.table '~('")
                .extracting(e -> ((DmException) e).errorCode()).isEqualTo(ErrorCode.TABLE_RULE_INVALID);
    }
}
