package io.dmjava.worker.load;

import io.dmjava.worker.dump.TsvFormat;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads rows of a chunk file back into values (null for SQL NULL): the inverse of the dump's writer. */
final class TsvReader implements AutoCloseable {
    private final InputStream in;
    private byte[] field = new byte[256];
    private int len;

    TsvReader(InputStream in) {
        this.in = new BufferedInputStream(in, 256 * 1024);
    }

    /** The next row's fields, or null at the end of the file. */
    List<byte[]> next() throws IOException {
        int b = in.read();
        if (b < 0) {
            return null;
        }
        List<byte[]> row = new ArrayList<>();
        len = 0;
        boolean nullMarker = false;
        while (true) {
            if (b < 0 || b == TsvFormat.LINE_SEPARATOR || b == TsvFormat.FIELD_SEPARATOR) {
                row.add(nullMarker && len == 0 ? null : Arrays.copyOf(field, len));
                if (b != TsvFormat.FIELD_SEPARATOR) {
                    return row;
                }
                len = 0;
                nullMarker = false;
            } else if (b == TsvFormat.ESCAPE) {
                int e = in.read();
                if (e < 0) {
                    throw new IOException("chunk file ends inside an escape sequence");
                }
                if (e == 'N' && len == 0) {
                    nullMarker = true; // \N alone is NULL; the next byte must end the field
                } else {
                    append(TsvFormat.unescape((byte) e));
                }
            } else {
                if (nullMarker) {
                    throw new IOException("\\N followed by data in a chunk file");
                }
                append((byte) b);
            }
            b = in.read();
        }
    }

    private void append(byte b) {
        if (len == field.length) {
            field = Arrays.copyOf(field, field.length * 2);
        }
        field[len++] = b;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
