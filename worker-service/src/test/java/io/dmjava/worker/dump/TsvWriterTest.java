package io.dmjava.worker.dump;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The buffered writer with its word-at-a-time scan writes exactly what the simple per-byte encoding does. */
class TsvWriterTest {
    @Test
    void writesWhatTheSimpleEncodingWritesForAnyBytes() throws Exception {
        Random r = new Random(3);
        List<byte[]> values = new ArrayList<>();
        values.add(null);
        values.add(new byte[0]);
        for (int i = 0; i < 20_000; i++) {
            int len = r.nextInt(200) == 0 ? r.nextInt(600_000) : r.nextInt(70); // some beyond the 256 KiB buffer
            byte[] v = new byte[len];
            int kind = r.nextInt(4);
            for (int k = 0; k < len; k++) {
                // Mostly clean text, sometimes a special byte at a random place, sometimes anything.
                v[k] = kind == 0 ? (byte) r.nextInt(256) : (byte) (32 + r.nextInt(95));
            }
            if (kind == 1 && len > 0) {
                v[r.nextInt(len)] = new byte[] {0, 9, 10, 13, 92, 26, 27, (byte) 0x9A, (byte) 0xDC}[r.nextInt(9)];
            }
            values.add(r.nextInt(50) == 0 ? null : v);
        }
        while (values.size() % 3 != 0) {
            values.add(new byte[0]);
        }
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        ByteArrayOutputStream actual = new ByteArrayOutputStream();
        try (TsvWriter w = new TsvWriter(actual)) {
            for (int i = 0; i < values.size(); i++) {
                boolean endOfRow = i % 3 == 2;
                expected.write(TsvFormat.encodeField(values.get(i)));
                expected.write(endOfRow ? TsvFormat.LINE_SEPARATOR : TsvFormat.FIELD_SEPARATOR);
                w.field(values.get(i));
                if (endOfRow) {
                    w.endRow();
                }
            }
            assertThat(w.bytesWritten()).isEqualTo(expected.size());
        }
        // Compared as a boolean first: a failure message listing megabytes of bytes helps nobody.
        assertThat(java.util.Arrays.equals(actual.toByteArray(), expected.toByteArray()))
                .as("first difference at %d", java.util.Arrays.mismatch(actual.toByteArray(), expected.toByteArray())).isTrue();
    }

    @Test
    void theWordScanStopsAtTheFirstSpecialByteWhereverItIs() {
        for (int len = 0; len < 40; len++) {
            for (int at = 0; at < len; at++) {
                for (int b = 0; b < 256; b++) {
                    byte[] v = new byte[len];
                    java.util.Arrays.fill(v, (byte) 'x');
                    v[at] = (byte) b;
                    int expected = TsvFormat.escapeOf((byte) b) != 0 ? at : len;
                    if (TsvFormat.cleanPrefix(v, 0) != expected) {
                        assertThat(TsvFormat.cleanPrefix(v, 0)).as("len %d at %d byte %d", len, at, b).isEqualTo(expected);
                    }
                }
            }
        }
    }
}
