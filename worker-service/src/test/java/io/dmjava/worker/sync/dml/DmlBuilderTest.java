package io.dmjava.worker.sync.dml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dmjava.model.task.TableName;
import io.dmjava.worker.sync.schema.ColumnSchema;
import io.dmjava.worker.sync.schema.TableSchema;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DmlBuilderTest {
    static final TableName TARGET = new TableName("down db", "t`1");
    static final String Q = "`down db`.`t``1`";

    static ColumnSchema col(String name, String type) {
        return new ColumnSchema(name, type, type, false, null, null, false, true);
    }

    static ColumnSchema notNull(String name, String type) {
        return new ColumnSchema(name, type, type, false, null, null, false, false);
    }

    static ColumnSchema text(String name, String charset, String collation) {
        return new ColumnSchema(name, "varchar", "varchar(20)", false, charset, collation, false, true);
    }

    static ColumnSchema generated(String name) {
        return new ColumnSchema(name, "int", "int", false, null, null, true, true);
    }

    /** id PK, a utf8 name, a generated column, a double, a latin1 column. */
    static final TableSchema KEYED = new TableSchema("up", "t", List.of(notNull("id", "int"),
            text("name", "utf8mb4", "utf8mb4_general_ci"), generated("g"), col("amount", "double"),
            text("legacy", "latin1", "latin1_swedish_ci")), List.of("id"), List.of());

    static final TableSchema COMPOSITE = new TableSchema("up", "c", List.of(notNull("a", "int"), notNull("b", "varchar"),
            col("v", "int")), List.of("a", "b"), List.of());

    static final TableSchema KEYLESS = new TableSchema("up", "k", List.of(col("a", "int"), col("f", "float"),
            generated("g"), col("d", "real"), col("j", "json"), text("l", "gbk", "gbk_chinese_ci"), col("x", "double")),
            List.of(), List.of());

    static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void insertSkipsGeneratedColumnsAndBatchesRows() {
        Stmt s = DmlBuilder.insert(TARGET, KEYED, List.of(new Object[] {1, "a", 99, 1.5, "x"},
                new Object[] {2, null, 98, null, null}), false);
        assertThat(s.sql()).isEqualTo("INSERT INTO " + Q + " (`id`,`name`,`amount`,`legacy`) VALUES (?,?,?,?),(?,?,?,?)");
        assertThat(s.params()).containsExactly(1, "a", 1.5, "x", 2, null, null, null);
    }

    @Test
    void replaceForSafeMode() {
        Stmt s = DmlBuilder.safeInsert(TARGET, COMPOSITE, List.<Object[]>of(new Object[] {1, "b", 3}));
        assertThat(s.sql()).isEqualTo("REPLACE INTO " + Q + " (`a`,`b`,`v`) VALUES (?,?,?)");
        assertThat(s.params()).containsExactly(1, "b", 3);
    }

    @Test
    void rawTextBytesAreConvertedNotReencoded() {
        byte[] bytes = latin1("caf\u00e9");
        Stmt s = DmlBuilder.insert(TARGET, KEYED, List.<Object[]>of(new Object[] {1, "n", null, 0.0, bytes}), false);
        assertThat(s.sql()).isEqualTo("INSERT INTO " + Q + " (`id`,`name`,`amount`,`legacy`) VALUES"
                + " (?,?,?,CONVERT(? USING latin1) COLLATE latin1_swedish_ci)");
        assertThat(s.params().get(3)).isSameAs(bytes);
        // a String (or NULL) in the same column is an ordinary parameter
        Stmt plain = DmlBuilder.insert(TARGET, KEYED, List.<Object[]>of(new Object[] {1, "n", null, 0.0, null}), false);
        assertThat(plain.sql()).endsWith("VALUES (?,?,?,?)");
        // bytes in a UTF-8 column are not converted
        Stmt utf8 = DmlBuilder.insert(TARGET, KEYED, List.<Object[]>of(new Object[] {1, bytes, null, 0.0, null}), false);
        assertThat(utf8.sql()).endsWith("VALUES (?,?,?,?)");
    }

    @Test
    void deleteBySingleColumnKey() {
        List<Stmt> s = DmlBuilder.delete(TARGET, KEYED, List.of(new Object[] {1, "a", 2, 1.0, null},
                new Object[] {5, "b", 6, 2.0, null}));
        assertThat(s).hasSize(1);
        assertThat(s.get(0).sql()).isEqualTo("DELETE FROM " + Q + " WHERE `id` IN (?,?)");
        assertThat(s.get(0).params()).containsExactly(1, 5);
    }

    @Test
    void deleteByCompositeKey() {
        List<Stmt> s = DmlBuilder.delete(TARGET, COMPOSITE, List.of(new Object[] {1, "x", 0}, new Object[] {2, "y", 0}));
        assertThat(s).singleElement().satisfies(st -> {
            assertThat(st.sql()).isEqualTo("DELETE FROM " + Q + " WHERE (`a`,`b`) IN ((?,?),(?,?))");
            assertThat(st.params()).containsExactly(1, "x", 2, "y");
        });
    }

    @Test
    void deleteByRawTextKeyConverts() {
        TableSchema t = new TableSchema("up", "t", List.of(new ColumnSchema("k", "varchar", "varchar(5)", false,
                "latin1", "latin1_bin", false, false)), List.of("k"), List.of());
        Stmt s = DmlBuilder.delete(TARGET, t, List.<Object[]>of(new Object[] {latin1("\u00e9")})).get(0);
        assertThat(s.sql()).isEqualTo("DELETE FROM " + Q + " WHERE `k` IN (CONVERT(? USING latin1) COLLATE latin1_bin)");
    }

    @Test
    void deleteWithoutKeyComparesExactColumnsOneRowAtATime() {
        byte[] gbk = {(byte) 0xc4, (byte) 0xe3};
        List<Stmt> s = DmlBuilder.delete(TARGET, KEYLESS, List.of(new Object[] {1, 1.5f, 7, 2.5, "{}", gbk, 3.0},
                new Object[] {null, null, null, null, null, null, null}));
        assertThat(s).hasSize(2);
        assertThat(s.get(0).sql()).isEqualTo("DELETE FROM " + Q
                + " WHERE `a` <=> ? AND `l` <=> CONVERT(? USING gbk) COLLATE gbk_chinese_ci LIMIT 1");
        assertThat(s.get(0).params()).containsExactly(1, gbk);
        assertThat(s.get(1).sql()).isEqualTo("DELETE FROM " + Q + " WHERE `a` <=> ? AND `l` <=> ? LIMIT 1");
        assertThat(s.get(1).params()).containsExactly(null, null);
    }

    @Test
    void keylessTableOfOnlyInexactColumnsStillComparesThem() {
        TableSchema t = new TableSchema("up", "f", List.of(col("f", "float"), generated("g")), List.of(), List.of());
        Stmt s = DmlBuilder.delete(TARGET, t, List.<Object[]>of(new Object[] {1.5f, 3})).get(0);
        assertThat(s.sql()).isEqualTo("DELETE FROM " + Q + " WHERE `f` <=> ? LIMIT 1");
    }

    @Test
    void updateSetsEveryWrittenColumnAndFindsTheRowByTheBeforeKey() {
        Stmt s = DmlBuilder.update(TARGET, KEYED, new Object[] {1, "a", 10, 1.0, null},
                new Object[] {2, "b", 20, 2.0, latin1("z")});
        assertThat(s.sql()).isEqualTo("UPDATE " + Q + " SET `id`=?,`name`=?,`amount`=?,"
                + "`legacy`=CONVERT(? USING latin1) COLLATE latin1_swedish_ci WHERE `id`=?");
        assertThat(s.params()).hasSize(5);
        assertThat(s.params().subList(0, 3)).containsExactly(2, "b", 2.0);
        assertThat(s.params().get(4)).isEqualTo(1);
    }

    @Test
    void updateByCompositeKey() {
        Stmt s = DmlBuilder.update(TARGET, COMPOSITE, new Object[] {1, "x", 0}, new Object[] {1, "y", 5});
        assertThat(s.sql()).isEqualTo("UPDATE " + Q + " SET `a`=?,`b`=?,`v`=? WHERE `a`=? AND `b`=?");
        assertThat(s.params()).containsExactly(1, "y", 5, 1, "x");
    }

    @Test
    void updateWithoutKeyLimitsToOneRow() {
        Stmt s = DmlBuilder.update(TARGET, KEYLESS, new Object[] {1, 1f, 0, 2.0, "[]", null, 1.0},
                new Object[] {2, 2f, 0, 3.0, "[1]", null, 2.0});
        assertThat(s.sql()).isEqualTo("UPDATE " + Q + " SET `a`=?,`f`=?,`d`=?,`j`=?,`l`=?,`x`=?"
                + " WHERE `a` <=> ? AND `l` <=> ? LIMIT 1");
        assertThat(s.params()).containsExactly(2, 2f, 3.0, "[1]", null, 2.0, 1, null);
    }

    @Test
    void safeUpdateDeletesTheBeforeThenReplacesTheAfter() {
        List<Stmt> s = DmlBuilder.safeUpdate(TARGET, COMPOSITE, new Object[] {1, "x", 0}, new Object[] {2, "x", 1});
        assertThat(s).extracting(Stmt::sql).containsExactly(
                "DELETE FROM " + Q + " WHERE (`a`,`b`) IN ((?,?))",
                "REPLACE INTO " + Q + " (`a`,`b`,`v`) VALUES (?,?,?)");
        assertThat(s.get(0).params()).containsExactly(1, "x");
        assertThat(s.get(1).params()).containsExactly(2, "x", 1);
        List<Stmt> keyless = DmlBuilder.safeUpdate(TARGET, KEYLESS, new Object[7], new Object[7]);
        assertThat(keyless).extracting(Stmt::sql).containsExactly(
                "DELETE FROM " + Q + " WHERE `a` <=> ? AND `l` <=> ? LIMIT 1",
                "REPLACE INTO " + Q + " (`a`,`f`,`d`,`j`,`l`,`x`) VALUES (?,?,?,?,?,?)");
    }

    @Test
    void rowKeyIsTheFirstNotNullUniqueKeyWithoutGeneratedColumns() {
        TableSchema t = new TableSchema("up", "u", List.of(col("a", "int"), notNull("b", "int"), generated("g"),
                notNull("c", "int")), List.of(), List.of(List.of("a"), List.of("g"), List.of("C", "b")));
        assertThat(DmlBuilder.keyColumns(t)).containsExactly(3, 1);
        Stmt s = DmlBuilder.update(TARGET, t, new Object[] {1, 2, 3, 4}, new Object[] {1, 2, 3, 5});
        assertThat(s.sql()).endsWith(" WHERE `c`=? AND `b`=?");
        assertThat(s.params().subList(3, 5)).containsExactly(4, 2);
    }

    @Test
    void primaryKeyOnAGeneratedColumnIsNotUsed() {
        TableSchema t = new TableSchema("up", "p", List.of(notNull("a", "int"), generated("g")), List.of("g"),
                List.of());
        assertThat(DmlBuilder.keyColumns(t)).isEmpty();
    }

    @Test
    void nullsAreAllowedAsParameters() {
        Stmt s = new Stmt("x", Arrays.asList(null, 1));
        assertThat(s.params()).containsExactly(null, 1);
    }

    @Test
    void wrongRowWidthOrNoRowsIsRejected() {
        assertThatThrownBy(() -> DmlBuilder.insert(TARGET, COMPOSITE, List.<Object[]>of(new Object[2]), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 values for 3 columns");
        assertThatThrownBy(() -> DmlBuilder.insert(TARGET, COMPOSITE, List.of(), false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DmlBuilder.delete(TARGET, COMPOSITE, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void suspiciousCharsetNamesAreRefused() {
        TableSchema t = new TableSchema("up", "t", List.of(new ColumnSchema("k", "varchar", "varchar(5)", false,
                "latin1) x", "latin1_bin", false, false)), List.of("k"), List.of());
        assertThatThrownBy(() -> DmlBuilder.delete(TARGET, t, List.<Object[]>of(new Object[] {new byte[] {1}})))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
