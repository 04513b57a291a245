package io.dmjava.worker.sync.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.task.TableName;
import io.dmjava.model.task.TaskConfig;
import io.dmjava.model.task.TaskConfig.BinlogFilterRule;
import io.dmjava.model.task.TaskConfig.RuleSource;
import io.dmjava.model.task.TaskConfig.RuleTarget;
import io.dmjava.model.task.TaskConfig.TableMigrateRule;
import io.dmjava.worker.sync.binlog.RowKind;
import io.dmjava.worker.sync.ddl.DdlParser;
import io.dmjava.worker.sync.ddl.ParsedDdl;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BinlogFilterTest {
    private static TaskConfig task(Map<String, BinlogFilterRule> filters, TableMigrateRule... rules) {
        return new TaskConfig("t", "incremental", null, null, null, null, null, filters, List.of(rules), null, null);
    }

    private static TableMigrateRule rule(String source, String schema, String table, String... filters) {
        return new TableMigrateRule(new RuleSource(source, schema, table), null, List.of(filters));
    }

    private static BinlogFilterRule events(String... events) {
        return new BinlogFilterRule(List.of(events), null);
    }

    private static BinlogFilter single(BinlogFilterRule filter) {
        return new BinlogFilter(task(Map.of("f", filter), rule("s1", "db", "*", "f")), "s1");
    }

    private static ParsedDdl ddl(String sql) {
        return DdlParser.parse("db", sql);
    }

    private static final TableName T = new TableName("db", "t");

    @Test
    void ignoresListedDmlKindsOnly() {
        BinlogFilter f = single(events("delete"));
        assertThat(f.ignoresDml(T, RowKind.DELETE)).isTrue();
        assertThat(f.ignoresDml(T, RowKind.INSERT)).isFalse();
        assertThat(f.ignoresDml(T, RowKind.UPDATE)).isFalse();
    }

    @Test
    void allDmlAndAllCoverEveryRowKind() {
        for (String e : List.of("all dml", "ALL DML", "all")) {
            BinlogFilter f = single(events(e));
            for (RowKind k : RowKind.values()) {
                assertThat(f.ignoresDml(T, k)).as(e + " " + k).isTrue();
            }
        }
        assertThat(single(events("all ddl")).ignoresDml(T, RowKind.INSERT)).isFalse();
    }

    @Test
    void noneNamesIgnoreNothing() {
        for (String e : List.of("none", "none dml", "none ddl")) {
            BinlogFilter f = single(events(e));
            assertThat(f.ignoresDml(T, RowKind.INSERT)).isFalse();
            assertThat(f.ignoresDdl(ddl("DROP TABLE t"))).isFalse();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "create database | CREATE DATABASE db",
        "drop database | DROP DATABASE db",
        "create table | CREATE TABLE t (a int)",
        "create table | CREATE TABLE t LIKE u",
        "drop table | DROP TABLE t",
        "truncate table | TRUNCATE t",
        "rename table | RENAME TABLE t TO u",
        "alter table | ALTER TABLE t ADD c int",
        "create index | CREATE INDEX i ON t (a)",
        "drop index | DROP INDEX i ON t",
        "alter database | ALTER DATABASE db CHARACTER SET utf8mb4",
        "drop schema | DROP SCHEMA db",
    })
    void eachDdlEventMatchesItsStatementsAndNoOthers(String event, String sql) {
        BinlogFilter f = single(events(event));
        assertThat(f.ignoresDdl(ddl(sql))).isTrue();
        assertThat(f.ignoresDml(T, RowKind.INSERT)).isFalse();
        String other = event.contains("drop") ? "ALTER TABLE t ADD x int" : "DROP TABLE t";
        assertThat(f.ignoresDdl(ddl(other))).isFalse();
        assertThat(single(events("all ddl")).ignoresDdl(ddl(sql))).isTrue();
        assertThat(single(events("all")).ignoresDdl(ddl(sql))).isTrue();
        assertThat(single(events("all dml")).ignoresDdl(ddl(sql))).isFalse();
    }

    @Test
    void ignoreSqlIsARegexFoundAnywhereInTheStatement() {
        BinlogFilter f = single(new BinlogFilterRule(null, List.of("(?i)ADD\\s+COLUMN\\s+`?tmp_")));
        assertThat(f.ignoresDdl(ddl("ALTER TABLE t add column tmp_x int"))).isTrue();
        assertThat(f.ignoresDdl(ddl("ALTER TABLE t ADD COLUMN `tmp_y` int"))).isTrue();
        assertThat(f.ignoresDdl(ddl("ALTER TABLE t ADD COLUMN keep int"))).isFalse();
        assertThat(f.ignoresDml(T, RowKind.INSERT)).isFalse();
    }

    @Test
    void ignoreSqlAlsoCoversDdlThatIsNotReplicated() {
        BinlogFilter f = single(new BinlogFilterRule(null, List.of("^CREATE\\s+PROCEDURE")));
        assertThat(f.ignoresDdl(ddl("CREATE PROCEDURE p() BEGIN END"))).isTrue();
        assertThat(f.ignoresDdl(ddl("BEGIN"))).isFalse();
    }

    @Test
    void rulesApplyOnlyToTheTablesAndSourceTheyAreAttachedTo() {
        TaskConfig task = task(Map.of("nodel", events("delete"), "notrunc", events("truncate table")),
                rule("s1", "db", "t*", "nodel"),
                rule("s1", "db", "*"),
                rule("s2", "db", "*", "notrunc"));
        BinlogFilter s1 = new BinlogFilter(task, "s1");
        assertThat(s1.ignoresDml(new TableName("db", "t1"), RowKind.DELETE)).isTrue();
        assertThat(s1.ignoresDml(new TableName("db", "x"), RowKind.DELETE)).isFalse();
        assertThat(s1.ignoresDml(new TableName("other", "t1"), RowKind.DELETE)).isFalse();
        assertThat(s1.ignoresDdl(ddl("TRUNCATE t1"))).isFalse();
        BinlogFilter s2 = new BinlogFilter(task, "s2");
        assertThat(s2.ignoresDdl(ddl("TRUNCATE t1"))).isTrue();
        assertThat(s2.ignoresDml(new TableName("db", "t1"), RowKind.DELETE)).isFalse();
    }

    @Test
    void everyMatchingRuleContributesItsFilters() {
        Map<String, BinlogFilterRule> filters = new LinkedHashMap<>();
        filters.put("a", events("insert"));
        filters.put("b", events("update"));
        BinlogFilter f = new BinlogFilter(task(filters, rule("s1", "db", "*", "a"),
                new TableMigrateRule(new RuleSource("s1", "db", "t"), new RuleTarget("x", null), List.of("b", "a"))),
                "s1");
        assertThat(f.ruleNames(T)).containsExactly("b", "a");
        assertThat(f.ignoresDml(T, RowKind.INSERT)).isTrue();
        assertThat(f.ignoresDml(T, RowKind.UPDATE)).isTrue();
        assertThat(f.ignoresDml(T, RowKind.DELETE)).isFalse();
        assertThat(f.ignoresDml(new TableName("db", "u"), RowKind.UPDATE)).isFalse();
    }

    @Test
    void databaseDdlMatchesRulesBySchemaWhateverTheirTablePattern() {
        BinlogFilter f = new BinlogFilter(task(Map.of("nodrop", events("drop database")),
                rule("s1", "shop_*", "orders", "nodrop")), "s1");
        assertThat(f.ignoresDdl(DdlParser.parse(null, "DROP DATABASE shop_1"))).isTrue();
        assertThat(f.ignoresDdl(DdlParser.parse(null, "DROP DATABASE other"))).isFalse();
        assertThat(f.ignoresDdl(DdlParser.parse("shop_1", "ALTER DATABASE CHARACTER SET utf8"))).isFalse();
    }

    @Test
    void systemSchemasHaveNoRules() {
        BinlogFilter f = new BinlogFilter(task(Map.of("all", events("all")), rule("s1", "*", "*", "all")), "s1");
        assertThat(f.ignoresDdl(DdlParser.parse(null, "DROP DATABASE mysql"))).isFalse();
        assertThat(f.ignoresDml(new TableName("mysql", "user"), RowKind.INSERT)).isFalse();
        assertThat(f.ignoresDml(new TableName("app", "user"), RowKind.INSERT)).isTrue();
    }

    @Test
    void multiTableStatementIsIgnoredOnlyWhenEveryTableIsAndSplitPartsOnTheirOwn() {
        BinlogFilter f = new BinlogFilter(task(Map.of("nodrop", events("drop table")),
                rule("s1", "db", "keep*", "nodrop"), rule("s1", "db", "*")), "s1");
        ParsedDdl drop = ddl("DROP TABLE keep1, gone");
        assertThat(f.ignoresDdl(drop)).isFalse();
        assertThat(drop.split()).extracting(f::ignoresDdl).containsExactly(true, false);
        assertThat(f.ignoresDdl(ddl("DROP TABLE keep1, keep2"))).isTrue();
        assertThat(f.ignoresDdl(ddl("RENAME TABLE keep1 TO gone"))).isFalse();
    }

    @Test
    void renameIsJudgedByTheOldName() {
        BinlogFilter f = new BinlogFilter(task(Map.of("r", events("rename table")), rule("s1", "db", "old", "r"),
                rule("s1", "db", "*")), "s1");
        assertThat(f.ignoresDdl(ddl("RENAME TABLE old TO new"))).isTrue();
        assertThat(f.ignoresDdl(ddl("RENAME TABLE new TO old"))).isFalse();
    }

    @Test
    void undefinedRuleOrBadRegexIsATaskError() {
        assertThatThrownBy(() -> new BinlogFilter(task(Map.of(), rule("s1", "db", "*", "missing")), "s1"))
                .isInstanceOfSatisfying(DmException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.TASK_INVALID))
                .hasMessageContaining("missing");
        assertThatThrownBy(() -> single(new BinlogFilterRule(null, List.of("(unclosed"))))
                .isInstanceOf(DmException.class).hasMessageContaining("ignore_sql[0]");
        // a rule of another source is not compiled for this one
        assertThat(new BinlogFilter(task(Map.of(), rule("s2", "db", "*", "missing")), "s1")
                .ignoresDml(T, RowKind.INSERT)).isFalse();
    }

    @Test
    void aTaskWithoutRulesIgnoresNothing() {
        BinlogFilter f = new BinlogFilter(new TaskConfig("t", "all", null, null, null, null, null, null, null, null,
                null), "s1");
        assertThat(f.ignoresDml(T, RowKind.INSERT)).isFalse();
        assertThat(f.ignoresDdl(ddl("DROP TABLE t"))).isFalse();
    }
}
