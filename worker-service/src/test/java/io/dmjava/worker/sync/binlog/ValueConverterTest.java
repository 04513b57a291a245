package io.dmjava.worker.sync.binlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.worker.sync.schema.ColumnSchema;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

/** The conversions that do not need a server to check. */
class ValueConverterTest {
    private static ColumnSchema col(String dataType, boolean unsigned, String charset) {
        return new ColumnSchema("c", dataType, dataType, unsigned, charset, charset == null ? null : charset + "_bin",
                false, true);
    }

    @Test
    void unsignedIntegersAreWidened() {
        assertThat(ValueConverter.toJdbc(col("tinyint", true, null), -1)).isEqualTo(255L);
        assertThat(ValueConverter.toJdbc(col("mediumint", true, null), -1)).isEqualTo(16_777_215L);
        assertThat(ValueConverter.toJdbc(col("int", true, null), -1)).isEqualTo(4_294_967_295L);
        assertThat(ValueConverter.toJdbc(col("bigint", true, null), -1L)).isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(ValueConverter.toJdbc(col("bigint", false, null), -1L)).isEqualTo(-1L);
        assertThat(ValueConverter.toJdbc(col("set", false, null), Long.MIN_VALUE)).isEqualTo(BigInteger.ONE.shiftLeft(63));
    }

    @Test
    void bitsFloatsAndTimestampsKeepEveryBit() {
        BitSet top = new BitSet();
        top.set(63);
        top.set(0);
        assertThat(ValueConverter.toJdbc(col("bit", false, null), top)).isEqualTo(BigInteger.ONE.shiftLeft(63).add(BigInteger.ONE));
        assertThat(ValueConverter.toJdbc(col("bit", false, null), new BitSet())).isEqualTo(0L);
        assertThat(ValueConverter.toJdbc(col("float", false, null), -0.0f)).isEqualTo("-0E0");
        assertThat(ValueConverter.toJdbc(col("float", false, null), 1.1f)).isEqualTo((double) 1.1f);
        assertThat(ValueConverter.toJdbc(col("timestamp", false, null), Instant.EPOCH)).isEqualTo("0000-00-00 00:00:00");
        assertThat(ValueConverter.toJdbc(col("timestamp", false, null), Instant.ofEpochSecond(1, 5000)))
                .isEqualTo("1970-01-01 00:00:01.000005");
    }

    @Test
    void textTravelsAsStringsOrRawBytesByCharset() {
        byte[] utf8 = "😀".getBytes(StandardCharsets.UTF_8);
        assertThat(ValueConverter.toJdbc(col("varchar", false, "utf8mb4"), utf8)).isEqualTo("😀");
        byte[] latin1 = {(byte) 0xE9};
        assertThat(ValueConverter.toJdbc(col("varchar", false, "latin1"), latin1)).isSameAs(latin1);
        assertThat(ValueConverter.toJdbc(col("varbinary", false, null), latin1)).isSameAs(latin1);
        assertThat(ValueConverter.toJdbc(col("varchar", false, "utf8mb4"), null)).isNull();
    }
}
