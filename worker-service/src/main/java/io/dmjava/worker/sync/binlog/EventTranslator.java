package io.dmjava.worker.sync.binlog;

import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.GtidEventData;
import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventMetadata;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.worker.dump.BinlogPosition;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the library's events into {@link BinlogEvent}s and tracks where the stream stands: the current file
 * (from ROTATE, the fake one at connect included), the end offset of the last event, and the executed GTID
 * set. Used by the client thread only.
 *
 * <p>Transaction boundaries: MariaDB opens a transaction with a GTID event (a standalone one, such as a
 * DDL's, has no BEGIN/COMMIT and ends with its single statement); MySQL with a {@code BEGIN} query after its
 * GTID event. A transaction ends with an XID event, a {@code COMMIT} or {@code ROLLBACK} query (non-transactional
 * engines; a rolled-back group still holds the non-transactional changes that did happen), an XA_PREPARE event
 * or an {@code XA COMMIT/ROLLBACK} group. Statements outside a transaction (DDL) end their own group.
 */
final class EventTranslator {
    private final Map<Long, TableMapEventData> tableMaps;
    private final GtidTracker gtids;
    private final String source;
    private String file;
    private long pos;
    private boolean inTransaction;

    /**
     * @param tableMaps the table-id map the rows decoders read (filled by the event deserializer; cleared
     *                  here on rotate, when table ids may be reused)
     */
    EventTranslator(Map<Long, TableMapEventData> tableMaps, GtidTracker gtids, String source, String startFile,
                    long startPos) {
        this.tableMaps = tableMaps;
        this.gtids = gtids;
        this.source = source;
        this.file = startFile;
        this.pos = startPos;
    }

    /** Where the stream stands after the last event translated. */
    BinlogPosition current() {
        return new BinlogPosition(file, pos, gtids.current());
    }

    /**
     * The event for the consumer, or null when the event only moves the position.
     *
     * @throws BinlogStreamException when the event cannot be replicated exactly
     */
    BinlogEvent translate(Event event) throws BinlogStreamException {
        EventHeaderV4 header = event.getHeader();
        EventType type = header.getEventType();
        EventData data = EventDeserializer.EventDataWrapper.internal(event.getData());
        if (EventType.isRowMutation(type)) {
            advance(header);
            return rows(type, data);
        }
        switch (type) {
            case ROTATE -> {
                RotateEventData rotate = (RotateEventData) data;
                file = rotate.getBinlogFilename();
                pos = rotate.getBinlogPosition();
                tableMaps.clear();
                return null;
            }
            case MARIADB_GTID -> {
                MariadbGtidEventData gtid = (MariadbGtidEventData) data;
                gtids.beginMariadb(gtid.getDomainId(), header.getServerId(), gtid.getSequence());
                inTransaction = (gtid.getFlags() & MariadbGtidEventData.FL_STANDALONE) == 0;
                advance(header);
                return null;
            }
            case GTID -> {
                gtids.beginMysql(((GtidEventData) data).getGtid());
                inTransaction = false;
                advance(header);
                return null;
            }
            case ANONYMOUS_GTID -> {
                gtids.beginMysql(null);
                inTransaction = false;
                advance(header);
                return null;
            }
            case QUERY -> {
                advance(header);
                return query(header, (QueryEventData) data);
            }
            case XID, XA_PREPARE -> {
                advance(header);
                return commit(header);
            }
            case HEARTBEAT -> {
                // Sent only when the dump thread has nothing more to send, i.e. at a transaction boundary; its
                // log_pos is where that thread stands, which is also right after a GTID-mode start that skipped events.
                if (!inTransaction && header.getNextPosition() > 0) {
                    pos = header.getNextPosition();
                }
                return new Heartbeat(current());
            }
            case TRANSACTION_PAYLOAD -> throw new BinlogStreamException(ErrorCode.SYNC_BINLOG_UNSUPPORTED, false, null,
                    source, "binlog_transaction_compression is ON (TRANSACTION_PAYLOAD event at " + current() + ")");
            default -> {
                advance(header);
                return null;
            }
        }
    }

    private BinlogEvent query(EventHeaderV4 header, QueryEventData q) {
        String sql = q.getSql() == null ? "" : q.getSql().strip();
        String upper = sql.length() > 16 ? sql.substring(0, 16).toUpperCase(Locale.ROOT) : sql.toUpperCase(Locale.ROOT);
        if (upper.equals("BEGIN") || upper.startsWith("XA START") || upper.startsWith("XA BEGIN")) {
            inTransaction = true;
            return null;
        }
        if (upper.equals("COMMIT") || upper.equals("ROLLBACK") || upper.startsWith("XA COMMIT")
                || upper.startsWith("XA ROLLBACK")) {
            return commit(header);
        }
        if (upper.startsWith("XA ") || upper.startsWith("#") || (inTransaction
                && (upper.startsWith("SAVEPOINT") || upper.startsWith("ROLLBACK TO")))) {
            return null;
        }
        String schema = q.getDatabase() == null ? "" : q.getDatabase();
        long start = header.getNextPosition() > 0 ? header.getNextPosition() - header.getEventLength() : pos;
        if (inTransaction) {
            return new QueryEvent(schema, sql, current(), start);
        }
        gtids.commit();
        return new QueryEvent(schema, sql, current(), start);
    }

    private TxnCommit commit(EventHeaderV4 header) {
        gtids.commit();
        inTransaction = false;
        return new TxnCommit(header.getTimestamp(), current());
    }

    private RowsEvent rows(EventType type, EventData data) throws BinlogStreamException {
        long tableId;
        RowKind kind;
        List<Serializable[]> before = new ArrayList<>();
        List<Serializable[]> after = new ArrayList<>();
        BitSet[] images;
        if (data instanceof WriteRowsEventData w) {
            tableId = w.getTableId();
            kind = RowKind.INSERT;
            after.addAll(w.getRows());
            images = new BitSet[] {w.getIncludedColumns()};
        } else if (data instanceof UpdateRowsEventData u) {
            tableId = u.getTableId();
            kind = RowKind.UPDATE;
            for (Map.Entry<Serializable[], Serializable[]> row : u.getRows()) {
                before.add(row.getKey());
                after.add(row.getValue());
            }
            images = new BitSet[] {u.getIncludedColumnsBeforeUpdate(), u.getIncludedColumns()};
        } else if (data instanceof DeleteRowsEventData d) {
            tableId = d.getTableId();
            kind = RowKind.DELETE;
            before.addAll(d.getRows());
            images = new BitSet[] {d.getIncludedColumns()};
        } else {
            throw new BinlogStreamException(ErrorCode.SYNC_BINLOG_UNSUPPORTED, false, null, source,
                    type + " rows event at " + current() + " (a row format this version does not decode)");
        }
        TableMapEventData map = tableMaps.get(tableId);
        if (map == null) {
            throw new BinlogStreamException(ErrorCode.SYNC_BINLOG_DECODE_FAILED, false, null, source, current(),
                    "rows event for table id " + tableId + " without its TABLE_MAP (the stream started inside a transaction)");
        }
        int columns = map.getColumnTypes().length;
        for (BitSet image : images) {
            if (image.cardinality() != columns) {
                throw new BinlogStreamException(ErrorCode.SYNC_BINLOG_UNSUPPORTED, false, null, source,
                        "the row image of `" + map.getDatabase() + "`.`" + map.getTable() + "` at " + current() + " has "
                                + image.cardinality() + " of " + columns + " columns (binlog_row_image is not FULL)");
            }
        }
        TableMapEventMetadata meta = map.getEventMetadata();
        List<String> names = meta == null || meta.getColumnNames() == null || meta.getColumnNames().size() != columns
                ? List.of() : List.copyOf(meta.getColumnNames());
        return new RowsEvent(map.getDatabase(), map.getTable(), kind, before, after, columns, names, current());
    }

    /** Fake events (the format description or GTID list sent at connect) have no position: keep the last one. */
    private void advance(EventHeaderV4 header) {
        if (header.getNextPosition() > 0) {
            pos = header.getNextPosition();
        }
    }
}
