package io.dmjava.worker.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.worker.dump.TsvFormat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The chunk format written by the dump reads back to the same values, whatever the bytes. */
class TsvRoundTripTest {
    @Test
    void everyByteNullAndEmptyValueRoundTrips() throws Exception {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        List<List<byte[]>> rows = new ArrayList<>();
        rows.add(Arrays.asList(all, null, new byte[0]));
        rows.add(Arrays.asList("\\N".getBytes(StandardCharsets.UTF_8), "NULL".getBytes(StandardCharsets.UTF_8),
                "\t\n\\\r".getBytes(StandardCharsets.UTF_8)));
        Random r = new Random(1);
        for (int i = 0; i < 500; i++) {
            List<byte[]> row = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                if (r.nextInt(10) == 0) {
                    row.add(null);
                } else {
                    byte[] v = new byte[r.nextInt(40)];
                    r.nextBytes(v);
                    row.add(v);
                }
            }
            rows.add(row);
        }
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        for (List<byte[]> row : rows) {
            for (int c = 0; c < row.size(); c++) {
                if (c > 0) {
                    file.write(TsvFormat.FIELD_SEPARATOR);
                }
                file.write(TsvFormat.encodeField(row.get(c)));
            }
            file.write(TsvFormat.LINE_SEPARATOR);
        }
        byte[] bytes = file.toByteArray();
        // Inside values, separators only ever appear escaped.
        long lines = 0;
        for (byte b : bytes) {
            lines += b == '\n' ? 1 : 0;
        }
        assertThat(lines).isEqualTo(rows.size());
        try (TsvReader reader = new TsvReader(new ByteArrayInputStream(bytes))) {
            for (List<byte[]> expected : rows) {
                List<byte[]> actual = reader.next();
                assertThat(actual).hasSize(expected.size());
                for (int c = 0; c < expected.size(); c++) {
                    assertThat(actual.get(c)).isEqualTo(expected.get(c));
                }
            }
            assertThat(reader.next()).isNull();
        }
    }
}
