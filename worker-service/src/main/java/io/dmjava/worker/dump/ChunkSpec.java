package io.dmjava.worker.dump;

import java.util.List;

/**
 * One part of a table to dump: the rows matching {@code where} (all rows when it is {@code null}).
 * Consecutive chunks of a table use complementary predicates on the same boundary values, so every row
 * belongs to exactly one chunk whatever the boundaries are.
 *
 * @param id     stable id, {@code t00003.00012}: table index and sequence; also the loader checkpoint key
 * @param params values for the {@code ?} placeholders in {@code where}, as bytes
 */
public record ChunkSpec(String id, TableInfo table, int tableIndex, int seq, String where, List<byte[]> params) {
    public ChunkSpec {
        params = List.copyOf(params);
    }

    public static String idOf(int tableIndex, int seq) {
        return String.format("t%05d.%05d", tableIndex, seq);
    }

    /** The chunk file name, relative to the dump's data directory. */
    public String fileName() {
        return id + ".tsv";
    }
}
