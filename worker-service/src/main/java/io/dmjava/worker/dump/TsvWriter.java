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
        // Worst case: a separator and every byte escaped. Reserving it once keeps the copy loops free of
        // per-byte capacity checks (this loop runs for every byte the dump writes).
        int worst = value == null ? 3 : 1 + 2 * value.length;
        if (buf.length - len < worst) {
            drain();
            if (worst > buf.length) {
                writeLarge(value);
                return;
            }
        }
        if (!firstField) {
            buf[len++] = TsvFormat.FIELD_SEPARATOR;
        }
        firstField = false;
        if (value == null) {
            buf[len++] = TsvFormat.NULL[0];
            buf[len++] = TsvFormat.NULL[1];
            return;
        }
        int clean = TsvFormat.cleanPrefix(value, 0);
        System.arraycopy(value, 0, buf, len, clean);
        len += clean;
        for (int i = clean; i < value.length; i++) {
            byte b = value[i];
            byte e = TsvFormat.escapeOf(b);
            if (e != 0) {
                buf[len++] = TsvFormat.ESCAPE;
                buf[len++] = e;
            } else {
                buf[len++] = b;
            }
        }
    }

    /** A value too large for the buffer even when empty: encoded and written straight through. */
    private void writeLarge(byte[] value) throws IOException {
        if (!firstField) {
            out.write(TsvFormat.FIELD_SEPARATOR);
            bytesWritten++;
        }
        firstField = false;
        byte[] encoded = TsvFormat.encodeField(value);
        out.write(encoded);
        bytesWritten += encoded.length;
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
