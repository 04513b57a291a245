package io.dmjava.worker.sync.ddl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.task.TableName;
import io.dmjava.worker.sync.ddl.ParsedDdl.Rename;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DdlParserTest {
    private static ParsedDdl parse(String sql) {
        return DdlParser.parse("cur", sql);
    }

    private static TableName t(String schema, String table) {
        return new TableName(schema, table);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "CREATE DATABASE d | CREATE_DATABASE | create database",
        "create schema if not exists d | CREATE_DATABASE | create database",
        "CREATE OR REPLACE DATABASE d | CREATE_DATABASE | create database",
        "DROP DATABASE d | DROP_DATABASE | drop database",
        "drop schema IF EXISTS d | DROP_DATABASE | drop database",
        "ALTER DATABASE d CHARACTER SET utf8mb4 | ALTER_DATABASE | alter database",
        "CREATE TABLE t (a int) | CREATE_TABLE | create table",
        "CREATE TABLE t LIKE s | CREATE_TABLE_LIKE | create table",
        "CREATE TABLE t SELECT * FROM s | CREATE_TABLE_SELECT | create table",
        "DROP TABLE t | DROP_TABLE | drop table",
        "ALTER TABLE t ADD c int | ALTER_TABLE | alter table",
        "RENAME TABLE a TO b | RENAME_TABLE | rename table",
        "TRUNCATE TABLE t | TRUNCATE_TABLE | truncate table",
        "CREATE INDEX i ON t (a) | CREATE_INDEX | create index",
        "DROP INDEX i ON t | DROP_INDEX | drop index",
    })
    void classifiesReplicatedKinds(String sql, DdlKind kind, String eventType) {
        ParsedDdl ddl = parse(sql);
        assertThat(ddl.kind()).isEqualTo(kind);
        assertThat(ddl.eventType()).isEqualTo(eventType);
        assertThat(ddl.kind().isDdl()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "CREATE VIEW v AS SELECT 1", "CREATE OR REPLACE VIEW v AS SELECT * FROM t",
        "CREATE ALGORITHM=MERGE DEFINER=`root`@`%` SQL SECURITY DEFINER VIEW v AS SELECT 1",
        "CREATE DEFINER=`root`@`localhost` TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 1",
        "CREATE DEFINER=CURRENT_USER PROCEDURE p() BEGIN END", "CREATE FUNCTION f() RETURNS int RETURN 1",
        "CREATE AGGREGATE FUNCTION f RETURNS STRING SONAME 'x.so'",
        "CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO DELETE FROM t", "CREATE USER 'u'@'%' IDENTIFIED BY 'p'",
        "CREATE ROLE r", "CREATE SEQUENCE s", "CREATE TEMPORARY TABLE t (a int)",
        "CREATE OR REPLACE TEMPORARY TABLE t (a int)", "DROP TEMPORARY TABLE IF EXISTS t",
        "DROP VIEW v", "DROP TRIGGER tr", "DROP PROCEDURE IF EXISTS p", "DROP FUNCTION f", "DROP EVENT e",
        "DROP USER u", "DROP SEQUENCE s", "ALTER VIEW v AS SELECT 2", "ALTER USER u ACCOUNT LOCK",
        "ALTER EVENT e DISABLE", "ALTER DEFINER=`a`@`b` VIEW v AS SELECT 1", "RENAME USER a TO b",
        "GRANT SELECT ON db.* TO u", "REVOKE ALL ON *.* FROM u", "ANALYZE TABLE t", "OPTIMIZE TABLE t",
        "REPAIR TABLE t", "FLUSH PRIVILEGES", "flush tables", "INSTALL PLUGIN p SONAME 'p.so'",
        "UNINSTALL PLUGIN p", "CREATE SERVER s FOREIGN DATA WRAPPER mysql OPTIONS (USER 'x')",
    })
    void classifiesOtherDdl(String sql) {
        ParsedDdl ddl = parse(sql);
        assertThat(ddl.kind()).isEqualTo(DdlKind.OTHER_DDL);
        assertThat(ddl.eventType()).isNull();
        assertThat(ddl.refs()).isEmpty();
        assertThat(ddl.kind().isReplicated()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT s1", "RELEASE SAVEPOINT s1", "SET @a = 1",
        "SET PASSWORD FOR u = PASSWORD('x')", "XA START 'x'", "XA END 'x'", "XA PREPARE 'x'", "XA COMMIT 'x'",
        "INSERT INTO t VALUES (1)", "UPDATE t SET a = 'CREATE TABLE x'", "DELETE FROM t", "REPLACE INTO t VALUES (1)",
        "", "   ", "/* only a comment */", "-- just this", "(SELECT 1)", "USE db", "CALL p()", "LOCK TABLES t WRITE",
    })
    void classifiesNonDdl(String sql) {
        ParsedDdl ddl = parse(sql);
        assertThat(ddl.kind()).isEqualTo(DdlKind.NOT_DDL);
        assertThat(ddl.kind().isDdl()).isFalse();
        assertThat(ddl.refs()).isEmpty();
    }

    @Test
    void unqualifiedNamesTakeTheCurrentSchema() {
        ParsedDdl ddl = parse("create table t1 (id int)");
        assertThat(ddl.table()).isEqualTo(t("cur", "t1"));
        assertThat(ddl.schemaName()).isEqualTo("cur");
    }

    @Test
    void keywordsAreCaseInsensitiveAndIdentifiersKeepTheirCase() {
        ParsedDdl ddl = parse("cReAtE tAbLe If NoT eXiStS MyDb.MyTable (Id INT)");
        assertThat(ddl.kind()).isEqualTo(DdlKind.CREATE_TABLE);
        assertThat(ddl.ifNotExists()).isTrue();
        assertThat(ddl.table()).isEqualTo(t("MyDb", "MyTable"));
    }

    @Test
    void quotedNamesWithBackticksDotsSpacesAndReservedWords() {
        assertThat(parse("CREATE TABLE `a``b`.`c.d e` (x int)").table()).isEqualTo(t("a`b", "c.d e"));
        assertThat(parse("DROP TABLE `select`.`from`").table()).isEqualTo(t("select", "from"));
        assertThat(parse("TRUNCATE `my db` . `t`").table()).isEqualTo(t("my db", "t"));
        assertThat(parse("ALTER TABLE \"ansi\".\"t\" ADD x int").table()).isEqualTo(t("ansi", "t"));
        assertThat(parse("CREATE TABLE ünï.表 (x int)").table()).isEqualTo(t("ünï", "表"));
        assertThat(parse("CREATE TABLE `ünï`.`表 ``x`` ` (x int)").table()).isEqualTo(t("ünï", "表 `x` "));
        assertThat(parse("CREATE TABLE db.1t (x int)").table()).isEqualTo(t("db", "1t"));
    }

    @Test
    void commentsInOddPlaces() {
        ParsedDdl ddl = parse("/* lead */ CREATE /* a */ TABLE -- b\n /*c*/ db /* d */ . # e\n t /* f */ (x int)");
        assertThat(ddl.kind()).isEqualTo(DdlKind.CREATE_TABLE);
        assertThat(ddl.table()).isEqualTo(t("db", "t"));
    }

    @Test
    void executableCommentsAreRead() {
        assertThat(parse("/*!40000 ALTER TABLE `t` DISABLE KEYS */").table()).isEqualTo(t("cur", "t"));
        ParsedDdl ddl = parse("CREATE TABLE /*!32312 IF NOT EXISTS*/ `d`.`t` (a int) /*!50100 PARTITION BY HASH (a) */");
        assertThat(ddl.ifNotExists()).isTrue();
        assertThat(ddl.table()).isEqualTo(t("d", "t"));
        assertThat(parse("CREATE /*M!100100 OR REPLACE */ TABLE t (a int)").orReplace()).isTrue();
    }

    @Test
    void mariaDbCreateOrReplaceTable() {
        ParsedDdl ddl = parse("CREATE OR REPLACE TABLE t (a int)");
        assertThat(ddl.kind()).isEqualTo(DdlKind.CREATE_TABLE);
        assertThat(ddl.orReplace()).isTrue();
        assertThat(ddl.table()).isEqualTo(t("cur", "t"));
    }

    @Test
    void createTableLikeBothForms() {
        ParsedDdl plain = parse("CREATE TABLE IF NOT EXISTS a.t LIKE s");
        assertThat(plain.kind()).isEqualTo(DdlKind.CREATE_TABLE_LIKE);
        assertThat(plain.table()).isEqualTo(t("a", "t"));
        assertThat(plain.likeSource()).isEqualTo(t("cur", "s"));
        ParsedDdl paren = parse("CREATE TABLE t (LIKE b.`s`)");
        assertThat(paren.kind()).isEqualTo(DdlKind.CREATE_TABLE_LIKE);
        assertThat(paren.likeSource()).isEqualTo(t("b", "s"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "CREATE TABLE t SELECT 1", "CREATE TABLE t AS SELECT * FROM s", "CREATE TABLE t (a int) SELECT a FROM s",
        "CREATE TABLE t (a int) IGNORE SELECT a FROM s", "CREATE TABLE t (a int) REPLACE AS SELECT a FROM s",
        "CREATE TABLE t (SELECT * FROM s)", "CREATE TABLE t AS WITH x AS (SELECT 1) SELECT * FROM x",
        "CREATE TABLE t (a int) ENGINE=InnoDB AS (SELECT 1 AS a)",
    })
    void createTableSelect(String sql) {
        ParsedDdl ddl = parse(sql);
        assertThat(ddl.kind()).isEqualTo(DdlKind.CREATE_TABLE_SELECT);
        assertThat(ddl.kind().isReplicated()).isFalse();
        assertThat(ddl.table()).isEqualTo(t("cur", "t"));
    }

    @Test
    void generatedColumnsPartitionsAndVersioningAreNotSelects() {
        assertThat(parse("CREATE TABLE t (a int, b int AS (a + 1) STORED, c int GENERATED ALWAYS AS (a * 2) VIRTUAL,"
                + " d varchar(10) AS (concat('x', 'SELECT')) PERSISTENT)").kind()).isEqualTo(DdlKind.CREATE_TABLE);
        assertThat(parse("CREATE TABLE t (a int) PARTITION BY RANGE (a) (PARTITION p0 VALUES LESS THAN (10),"
                + " PARTITION p1 VALUES LESS THAN MAXVALUE)").kind()).isEqualTo(DdlKind.CREATE_TABLE);
        assertThat(parse("CREATE TABLE t (a int) WITH SYSTEM VERSIONING").kind()).isEqualTo(DdlKind.CREATE_TABLE);
    }

    @Test
    void defaultStringsWithNamesAndSemicolonsAreNotReferences() {
        ParsedDdl ddl = parse("CREATE TABLE t (a varchar(40) DEFAULT 'x; DROP TABLE y; REFERENCES z(id)',"
                + " b int COMMENT \"RENAME TO w\") COMMENT 'SELECT 1'");
        assertThat(ddl.kind()).isEqualTo(DdlKind.CREATE_TABLE);
        assertThat(ddl.refs()).hasSize(1);
    }

    @Test
    void foreignKeyParentsLiveInTheChildsSchema() {
        ParsedDdl ddl = parse("CREATE TABLE d1.c (id int, p int, q int, FOREIGN KEY (p) REFERENCES p(id),"
                + " CONSTRAINT fk2 FOREIGN KEY (q) REFERENCES `other`.`p2` (id) ON DELETE CASCADE)");
        assertThat(ddl.table()).isEqualTo(t("d1", "c"));
        assertThat(ddl.referencedTables()).containsExactly(t("d1", "p"), t("other", "p2"));
        assertThat(parse("ALTER TABLE c ADD CONSTRAINT f FOREIGN KEY (p) REFERENCES par (id)").referencedTables())
                .containsExactly(t("cur", "par"));
        assertThat(parse("CREATE TABLE c (p int REFERENCES par (id))").referencedTables())
                .containsExactly(t("cur", "par"));
    }

    @Test
    void dropTableWithSeveralTablesAndServerComment() {
        ParsedDdl ddl = parse("DROP TABLE IF EXISTS `t1`,`nonexist` /* generated by server */");
        assertThat(ddl.kind()).isEqualTo(DdlKind.DROP_TABLE);
        assertThat(ddl.ifExists()).isTrue();
        assertThat(ddl.tables()).containsExactly(t("cur", "t1"), t("cur", "nonexist"));
        assertThat(parse("drop tables a.x, y RESTRICT").tables()).containsExactly(t("a", "x"), t("cur", "y"));
        assertThat(parse("DROP TABLE IF EXISTS /* c */ x WAIT 3").tables()).containsExactly(t("cur", "x"));
    }

    @Test
    void alterTableVariants() {
        assertThat(parse("ALTER ONLINE TABLE t ADD c int").table()).isEqualTo(t("cur", "t"));
        assertThat(parse("ALTER IGNORE TABLE d.t ADD UNIQUE (c)").table()).isEqualTo(t("d", "t"));
        ParsedDdl ifExists = parse("ALTER TABLE IF EXISTS t NOWAIT ADD c int");
        assertThat(ifExists.ifExists()).isTrue();
        assertThat(ifExists.table()).isEqualTo(t("cur", "t"));
    }

    @Test
    void alterTableRenameForms() {
        assertThat(parse("ALTER TABLE t ADD COLUMN c int, RENAME TO u").renames())
                .containsExactly(new Rename(t("cur", "t"), t("cur", "u")));
        assertThat(parse("ALTER TABLE d1.t RENAME AS d2.u").renames())
                .containsExactly(new Rename(t("d1", "t"), t("d2", "u")));
        // MariaDB and MySQL put an unqualified new name in the session's database, not the table's
        assertThat(parse("alter table d1.x rename y").renames())
                .containsExactly(new Rename(t("d1", "x"), t("cur", "y")));
        assertThat(parse("ALTER TABLE t WAIT 5 RENAME TO u").renames()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "ALTER TABLE t RENAME COLUMN a TO b", "ALTER TABLE t RENAME INDEX a TO b", "ALTER TABLE t RENAME KEY a TO b",
        "ALTER TABLE t ADD rename int", "ALTER TABLE t CHANGE a rename int", "ALTER TABLE t DROP rename",
        "ALTER TABLE t ADD c int DEFAULT 'x', MODIFY d varchar(5) DEFAULT 'RENAME TO e'",
    })
    void alterTableWithoutTableRename(String sql) {
        ParsedDdl ddl = parse(sql);
        assertThat(ddl.kind()).isEqualTo(DdlKind.ALTER_TABLE);
        assertThat(ddl.renames()).isEmpty();
        assertThat(ddl.refs()).hasSize(1);
    }

    @Test
    void exchangePartitionReferencesTheOtherTable() {
        ParsedDdl ddl = parse("ALTER TABLE t EXCHANGE PARTITION p0 WITH TABLE d.t2 WITHOUT VALIDATION");
        assertThat(ddl.table()).isEqualTo(t("cur", "t"));
        assertThat(ddl.referencedTables()).containsExactly(t("d", "t2"));
    }

    @Test
    void partitionMaintenanceIsAlterTable() {
        ParsedDdl ddl = parse("ALTER TABLE t ADD PARTITION (PARTITION p2 VALUES LESS THAN (30))");
        assertThat(ddl.kind()).isEqualTo(DdlKind.ALTER_TABLE);
        assertThat(ddl.refs()).hasSize(1);
    }

    @Test
    void renameTablePairs() {
        ParsedDdl ddl = parse("RENAME TABLE a TO b, d1.c TO d2.`c 2`");
        assertThat(ddl.renames()).containsExactly(new Rename(t("cur", "a"), t("cur", "b")),
                new Rename(t("d1", "c"), t("d2", "c 2")));
        assertThat(ddl.tables()).containsExactly(t("cur", "a"), t("d1", "c"));
        ParsedDdl maria = parse("RENAME TABLE IF EXISTS a WAIT 2 TO b");
        assertThat(maria.ifExists()).isTrue();
        assertThat(maria.renames()).containsExactly(new Rename(t("cur", "a"), t("cur", "b")));
    }

    @Test
    void truncateWithAndWithoutTable() {
        assertThat(parse("TRUNCATE TABLE d.t").table()).isEqualTo(t("d", "t"));
        assertThat(parse("truncate t").table()).isEqualTo(t("cur", "t"));
    }

    @Test
    void indexStatements() {
        ParsedDdl create = parse("CREATE UNIQUE INDEX IF NOT EXISTS i USING BTREE ON d.t (a(10), b) COMMENT 'x'");
        assertThat(create.kind()).isEqualTo(DdlKind.CREATE_INDEX);
        assertThat(create.ifNotExists()).isTrue();
        assertThat(create.table()).isEqualTo(t("d", "t"));
        assertThat(parse("CREATE ONLINE FULLTEXT INDEX `on` ON t (c)").table()).isEqualTo(t("cur", "t"));
        ParsedDdl drop = parse("DROP INDEX IF EXISTS `PRIMARY` ON `t` ALGORITHM = INPLACE");
        assertThat(drop.kind()).isEqualTo(DdlKind.DROP_INDEX);
        assertThat(drop.ifExists()).isTrue();
        assertThat(drop.table()).isEqualTo(t("cur", "t"));
    }

    @Test
    void databaseStatements() {
        ParsedDdl create = parse("CREATE DATABASE IF NOT EXISTS `My Db` /*!40100 DEFAULT CHARACTER SET utf8mb4 */");
        assertThat(create.schemaName()).isEqualTo("My Db");
        assertThat(create.ifNotExists()).isTrue();
        assertThat(create.table()).isNull();
        assertThat(parse("DROP DATABASE IF EXISTS d").schemaName()).isEqualTo("d");
        assertThat(parse("ALTER SCHEMA `d` DEFAULT COLLATE utf8mb4_bin").schemaName()).isEqualTo("d");
        ParsedDdl implicit = parse("alter database character set utf8mb4");
        assertThat(implicit.schemaName()).isEqualTo("cur");
        assertThat(implicit.refs().get(0).start()).isEqualTo("alter database".length());
    }

    @Test
    void trailingSemicolonIsIgnored() {
        assertThat(parse("DROP TABLE t;").tables()).containsExactly(t("cur", "t"));
    }

    @Test
    void unreadableDdlIsAnError() {
        assertThatThrownBy(() -> parse("ALTER TABLE"))
                .isInstanceOfSatisfying(DmException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SYNC_DDL_UNPARSABLE));
        assertThatThrownBy(() -> parse("DROP TABLE a,")).isInstanceOf(DmException.class);
        assertThatThrownBy(() -> parse("RENAME TABLE a b")).isInstanceOf(DmException.class);
        assertThatThrownBy(() -> parse("CREATE INDEX i (a)")).isInstanceOf(DmException.class);
        assertThatThrownBy(() -> DdlParser.parse(null, "DROP TABLE t"))
                .hasMessageContaining("not qualified");
        assertThatThrownBy(() -> DdlParser.parse("", "ALTER DATABASE CHARACTER SET utf8"))
                .isInstanceOf(DmException.class);
    }

    @Test
    void qualifiedNamesNeedNoCurrentSchema() {
        assertThat(DdlParser.parse(null, "DROP TABLE d.t").table()).isEqualTo(t("d", "t"));
        assertThat(DdlParser.parse(null, "BEGIN").kind()).isEqualTo(DdlKind.NOT_DDL);
    }
}
