package io.dmjava.model.task.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.model.task.TableName;
import io.dmjava.model.task.TaskConfig.RuleSource;
import io.dmjava.model.task.TaskConfig.RuleTarget;
import io.dmjava.model.task.TaskConfig.TableMigrateRule;
import io.dmjava.model.task.rules.CompiledRule;
import io.dmjava.model.task.rules.TablePattern;
import io.dmjava.model.task.rules.TableRulesRouter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InstanceRulesTest {

    static InstanceRules.Route route(String name, int order, String schema, String table, String toSchema, String toTable) {
        return new InstanceRules.Route(name, order, TablePattern.parse(schema, table), toSchema, toTable);
    }

    static TableRulesRouter router(List<TableMigrateRule> rules) {
        List<CompiledRule> compiled = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            RuleSource s = rules.get(i).source();
            RuleTarget t = rules.get(i).target();
            compiled.add(new CompiledRule(i, TablePattern.parse(s.schema(), s.table()), t == null ? null : t.schema(),
                    t == null ? null : t.table(), rules.get(i).binlogFilterRule()));
        }
        return new TableRulesRouter(compiled);
    }

    @Test
    void aTableLevelRouteBeatsASchemaLevelRouteAsInDm() {
        // DM: db_01.orders_01 matches both routes; the table-level one wins.
        List<TableMigrateRule> rules = InstanceRules.build("s", "mysql-instances[0]",
                List.of(TablePattern.parse("db_*", "orders_01")),
                List.of(route("schema", 0, "db_01", null, "b", null), route("table", 1, "db_*", "orders_*", "a", "orders")),
                List.of());
        assertThat(rules).containsExactly(
                new TableMigrateRule(new RuleSource("s", "db_*", "orders_01"), new RuleTarget("a", "orders"), null));
        assertThat(router(rules).route("db_01", "orders_01")).isEqualTo(Optional.of(new TableName("a", "orders")));
    }

    @Test
    void aFilterIsCarriedOnlyByTheLargestRegionItCovers() {
        List<TableMigrateRule> rules = InstanceRules.build("s", "mysql-instances[0]",
                List.of(TablePattern.parse("db_*", null), TablePattern.parse("db_*", "orders_*")),
                List.of(route("r", 0, "db_*", "orders_*", "db", "orders")),
                List.of(new InstanceRules.Filter("f1", "everywhere", TablePattern.parse("db_*", null)),
                        new InstanceRules.Filter("f2", "orders-only", TablePattern.parse("db_*", "orders_*")),
                        new InstanceRules.Filter("f3", "one-shard", TablePattern.parse("db_01", null))));
        TableRulesRouter router = router(rules);
        assertThat(rules.get(0).binlogFilterRule()).containsExactly("everywhere");
        assertThat(rules.get(1).binlogFilterRule()).containsExactly("orders-only");
        assertThat(router.binlogFilterRuleNames("db_01", "orders_1"))
                .containsExactlyInAnyOrder("everywhere", "orders-only", "one-shard");
        assertThat(router.binlogFilterRuleNames("db_02", "orders_1")).containsExactlyInAnyOrder("everywhere", "orders-only");
        assertThat(router.binlogFilterRuleNames("db_02", "users")).containsExactly("everywhere");
        assertThat(router.binlogFilterRuleNames("db_01", "users")).containsExactlyInAnyOrder("everywhere", "one-shard");
        assertThat(router.route("db_01", "orders_1")).isEqualTo(Optional.of(new TableName("db", "orders")));
        assertThat(router.route("db_01", "users")).isEqualTo(Optional.of(new TableName("db_01", "users")));
    }

    @Test
    void routesThatMatchNothingSelectedAddNothing() {
        List<TableMigrateRule> rules = InstanceRules.build("s", "mysql-instances[0]",
                List.of(TablePattern.parse("app", null)),
                List.of(route("other", 0, "shop_*", null, "shop", null)), List.of());
        assertThat(rules).containsExactly(new TableMigrateRule(new RuleSource("s", "app", "*"), null, null));
    }
}
