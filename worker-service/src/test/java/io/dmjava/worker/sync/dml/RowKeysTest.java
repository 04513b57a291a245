package io.dmjava.worker.sync.dml;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.model.task.TableName;
import io.dmjava.worker.sync.schema.ColumnSchema;
import io.dmjava.worker.sync.schema.TableSchema;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowKeysTest {
    static final TableName DB_T = new TableName("db", "t");

    static ColumnSchema col(String name, String type) {
        return new ColumnSchema(name, type, type, false, null, null, false, true);
    }

    static ColumnSchema text(String name, String charset) {
        return new ColumnSchema(name, "varchar", "varchar(9)", false, charset, charset + "_general_ci", false, true);
    }

    static ColumnSchema binary(String name) {
        return new ColumnSchema(name, "varbinary", "varbinary(9)", false, "binary", "binary", false, true);
    }

    static TableSchema table(List<ColumnSchema> cols, List<String> pk, List<List<String>> uks) {
        return new TableSchema("up", "t", cols, pk, uks);
    }

    @Test
    void primaryKeyValues() {
        TableSchema t = table(List.of(col("a", "int"), col("b", "int"), col("c", "int")), List.of("a", "b"), List.of());
        assertThat(RowKeys.keys(DB_T, t, new Object[] {1, 2L, 3})).containsExactly("db.t|PRIMARY|1|2");
    }

    @Test
    void everyUniqueKeyWithoutNullsCounts() {
        TableSchema t = table(List.of(col("id", "int"), text("email", "utf8mb4"), col("x", "int"), col("y", "int")),
                List.of("id"), List.of(List.of("email"), List.of("x", "Y")));
        assertThat(RowKeys.keys(DB_T, t, new Object[] {7, "A@b.C ", 1, 2})).containsExactly(
                "db.t|PRIMARY|7", "db.t|UNIQUE(email)|a@b\\.c", "db.t|UNIQUE(x,y)|1|2");
        assertThat(RowKeys.keys(DB_T, t, new Object[] {7, null, 1, null})).containsExactly("db.t|PRIMARY|7");
    }

    @Test
    void caseTrailingSpacesAndAccentsFoldTogether() {
        TableSchema t = table(List.of(text("k", "utf8mb4")), List.of("k"), List.of());
        List<String> a = RowKeys.keys(DB_T, t, new Object[] {"Café  "});
        assertThat(a).containsExactly("db.t|PRIMARY|cafe");
        assertThat(RowKeys.keys(DB_T, t, new Object[] {"CAFE"})).isEqualTo(a);
        // leading spaces are significant under every collation
        assertThat(RowKeys.keys(DB_T, t, new Object[] {" cafe"})).isNotEqualTo(a);
    }

    @Test
    void rawTextBytesAreDecodedAsLatin1AndFolded() {
        TableSchema t = table(List.of(text("k", "latin1")), List.of("k"), List.of());
        byte[] upper = "ABC ".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(RowKeys.keys(DB_T, t, new Object[] {upper})).containsExactly("db.t|PRIMARY|abc");
        assertThat(RowKeys.keys(DB_T, t, new Object[] {"abc"})).containsExactly("db.t|PRIMARY|abc");
    }

    @Test
    void binaryBytesAreHexAndExact() {
        TableSchema t = table(List.of(binary("k")), List.of("k"), List.of());
        assertThat(RowKeys.keys(DB_T, t, new Object[] {new byte[] {0x41, 0x20, (byte) 0xff}}))
                .containsExactly("db.t|PRIMARY|4120ff");
        assertThat(RowKeys.keys(DB_T, t, new Object[] {new byte[] {0x61, 0x20, (byte) 0xff}}))
                .containsExactly("db.t|PRIMARY|6120ff");
    }

    @Test
    void decimalsAndZeroesNormalise() {
        TableSchema t = table(List.of(col("d", "decimal")), List.of("d"), List.of());
        assertThat(RowKeys.keys(DB_T, t, new Object[] {new BigDecimal("10.500")}))
                .isEqualTo(RowKeys.keys(DB_T, t, new Object[] {new BigDecimal("10.5")}))
                .containsExactly("db.t|PRIMARY|10\\.5");
        assertThat(RowKeys.keys(DB_T, t, new Object[] {new BigDecimal("1E+3")})).containsExactly("db.t|PRIMARY|1000");
        assertThat(RowKeys.keys(DB_T, t, new Object[] {new BigDecimal("0.000")})).containsExactly("db.t|PRIMARY|0");
        assertThat(RowKeys.keys(DB_T, t, new Object[] {-0.0})).isEqualTo(RowKeys.keys(DB_T, t, new Object[] {0.0}));
    }

    @Test
    void separatorsInNamesAndValuesAreEscapedSoKeysNeverCollide() {
        TableSchema two = table(List.of(text("a", "utf8mb4"), text("b", "utf8mb4")), List.of("a", "b"), List.of());
        List<String> k1 = RowKeys.keys(DB_T, two, new Object[] {"x|y", "z"});
        List<String> k2 = RowKeys.keys(DB_T, two, new Object[] {"x", "y|z"});
        assertThat(k1).isNotEqualTo(k2);
        assertThat(k1).containsExactly("db.t|PRIMARY|x\\|y|z");
        TableSchema one = table(List.of(col("a", "int")), List.of("a"), List.of());
        assertThat(RowKeys.keys(new TableName("a.b", "c"), one, new Object[] {1}))
                .isNotEqualTo(RowKeys.keys(new TableName("a", "b.c"), one, new Object[] {1}));
        assertThat(RowKeys.keys(new TableName("a\\", "b"), one, new Object[] {1}))
                .containsExactly("a\\\\.b|PRIMARY|1");
    }

    @Test
    void noUsableKeyMeansOneTableWideKey() {
        TableSchema none = table(List.of(col("a", "int")), List.of(), List.of());
        assertThat(RowKeys.keys(DB_T, none, new Object[] {1})).containsExactly("db.t");
        assertThat(RowKeys.keys(DB_T, none, new Object[] {2})).containsExactly("db.t");
        TableSchema nullableUk = table(List.of(col("a", "int")), List.of(), List.of(List.of("a")));
        assertThat(RowKeys.keys(DB_T, nullableUk, new Object[] {null})).containsExactly("db.t");
        assertThat(RowKeys.keys(DB_T, nullableUk, new Object[] {3})).containsExactly("db.t|UNIQUE(a)|3");
    }

    @Test
    void keysAreNamespacedByTheRoutedTarget() {
        TableSchema t = table(List.of(col("id", "int")), List.of("id"), List.of());
        assertThat(RowKeys.keys(new TableName("merged", "t"), t, new Object[] {1}))
                .containsExactly("merged.t|PRIMARY|1");
    }
}
