package io.dmjava.worker.load;

/** How a chunk file gets into its table. Both run inside the chunk's transaction with its checkpoint row. */
public enum LoadMethod {
    /** {@code LOAD DATA LOCAL INFILE}: the server parses the file itself. The default: measured fastest. */
    LOAD_DATA,
    /** Multi-row {@code INSERT}/{@code REPLACE} statements built from the file; for servers without local_infile. */
    INSERT
}
