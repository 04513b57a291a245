package io.dmjava.worker.dump;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyPredicatesTest {
    private static final ColumnInfo A = new ColumnInfo("a", "int", "int(11)", null, null, false);
    private static final ColumnInfo B = new ColumnInfo("b`x", "varchar", "varchar(10)", "latin1", "latin1_swedish_ci", false);
    private static final ColumnInfo C = new ColumnInfo("c", "datetime", "datetime", null, null, false);

    @Test
    void compositeBoundsAreLexicographicAndComplementary() {
        List<byte[]> boundary = List.of(bytes("42"), bytes("k'1"), bytes("2020-01-01 00:00:00"));
        List<byte[]> belowParams = new ArrayList<>();
        String below = KeyPredicates.below(List.of(A, B, C), boundary, belowParams);
        assertThat(below).isEqualTo("(`a` < 42 OR (`a` = 42 AND (`b``x` < CONVERT(? USING latin1) COLLATE `latin1_swedish_ci`"
                + " OR (`b``x` = CONVERT(? USING latin1) COLLATE `latin1_swedish_ci` AND (`c` < ?)))))");
        List<byte[]> atLeastParams = new ArrayList<>();
        String atLeast = KeyPredicates.atLeast(List.of(A, B, C), boundary, atLeastParams);
        assertThat(atLeast).isEqualTo(below.replace("<", ">").replace("(`c` > ?)", "(`c` >= ?)"));
        assertThat(belowParams).hasSize(3);
        assertThat(new String(belowParams.get(0), StandardCharsets.UTF_8)).isEqualTo("k'1");
    }

    @Test
    void nonNumericTextForAnIntegerColumnIsBoundNotInlined() {
        List<byte[]> params = new ArrayList<>();
        assertThat(KeyPredicates.below(List.of(A), List.of(bytes("1; DROP TABLE x")), params)).isEqualTo("(`a` < ?)");
        assertThat(params).hasSize(1);
    }

    @Test
    void floatsAreWidenedAndNumbersCastSoTheDriverHandsOverBytes() {
        assertThat(new ColumnInfo("f", "float", "float", null, null, false).selectExpression())
                .isEqualTo("CAST((`f` * 1e0) AS BINARY)");
        assertThat(A.selectExpression()).isEqualTo("CAST(`a` AS BINARY)");
        assertThat(B.selectExpression()).isEqualTo("`b``x`");
    }

    @Test
    void positionsOrderByFileSequenceThenOffset() {
        BinlogPosition a = new BinlogPosition("mysql-bin.000009", 900, "");
        BinlogPosition b = new BinlogPosition("mysql-bin.000010", 4, "");
        assertThat(a).isLessThan(b);
        assertThat(new BinlogPosition("mysql-bin.000010", 5, "")).isGreaterThan(b);
        assertThat(b.toString()).isEqualTo("(mysql-bin.000010, 4)");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
