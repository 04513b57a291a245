package io.dmjava.worker.dump;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes rows in {@link TsvFormat} through one reusable buffer, so the dump does not allocate per value
 * beyond what the driver hands over.
 */
final class TsvWriter implements AutoCloseable {
    private static final int BUFFER = 256 * 1024;

    private final OutputStream out;
    private final byte[] buf = new byte[BUFFER];
    private int len;
    private long bytesWritten;
    private boolean firstField = true;

    TsvWriter(OutputStream out) {
        this.out = out;
    }

    /** Appends one field; {@code null} is SQL NULL. */
    void field(byte[] value) throws IOException {
        if (!firstField) {
            put(TsvFormat.FIELD_SEPARATOR);
        }
        firstField = false;
        if (value == null) {
            put(TsvFormat.NULL[0]);
            put(TsvFormat.NULL[1]);
            return;
        }
        for (byte b : value) {
            byte e = TsvFormat.escapeOf(b);
            if (e != 0) {
                put(TsvFormat.ESCAPE);
                put(e);
            } else {
                put(b);
            }
        }
    }

    /** Ends the current row. */
    void endRow() throws IOException {
        put(TsvFormat.LINE_SEPARATOR);
        firstField = true;
    }

    /** Bytes written so far, buffered ones included. */
    long bytesWritten() {
        return bytesWritten + len;
    }

    private void put(byte b) throws IOException {
        if (len == buf.length) {
            drain();
        }
        buf[len++] = b;
    }

    private void drain() throws IOException {
        out.write(buf, 0, len);
        bytesWritten += len;
        len = 0;
    }

    /** Writes out what is buffered; the underlying stream stays open. */
    void flush() throws IOException {
        drain();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        flush();
    }
}
