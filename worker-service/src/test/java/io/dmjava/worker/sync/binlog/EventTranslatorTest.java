package io.dmjava.worker.sync.binlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.GtidEventData;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.event.XidEventData;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.worker.db.DbFlavor;
import io.dmjava.worker.dump.BinlogPosition;
import java.io.Serializable;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The MySQL flavour of transaction boundaries and GTID sets, which the MariaDB-only harness cannot reach. */
class EventTranslatorTest {
    private static final String UUID = "3e11fa47-71ca-11e1-9e33-c80aa9429562";

    private final Map<Long, TableMapEventData> maps = new HashMap<>();
    private final EventTranslator translator = new EventTranslator(maps,
            new GtidTracker(DbFlavor.MYSQL, UUID + ":1-5"), "src", "binlog.000007", 1000);

    @Test
    void aMysqlTransactionCarriesTheSetBeforeItUntilItsXid() throws Exception {
        assertThat(feed(EventType.GTID, 1100, gtid(UUID + ":6"))).isNull();
        assertThat(feed(EventType.QUERY, 1200, query("BEGIN"))).isNull();
        maps.put(42L, tableMap());
        RowsEvent rows = (RowsEvent) feed(EventType.EXT_WRITE_ROWS, 1300, writeRows(2));
        assertThat(rows.position()).isEqualTo(new BinlogPosition("binlog.000007", 1300, UUID + ":1-5"));
        assertThat(rows.schema()).isEqualTo("db");
        assertThat(rows.columnCount()).isEqualTo(2);
        TxnCommit commit = (TxnCommit) feed(EventType.XID, 1400, new XidEventData());
        assertThat(commit.position()).isEqualTo(new BinlogPosition("binlog.000007", 1400, UUID + ":1-6"));
    }

    @Test
    void aMysqlDdlEndsItsOwnGroupAndARotateMovesTheFile() throws Exception {
        feed(EventType.GTID, 1100, gtid(UUID + ":6"));
        QueryEvent ddl = (QueryEvent) feed(EventType.QUERY, 1200, query("ALTER TABLE t ADD c INT"));
        assertThat(ddl.position()).isEqualTo(new BinlogPosition("binlog.000007", 1200, UUID + ":1-6"));
        RotateEventData rotate = new RotateEventData();
        rotate.setBinlogFilename("binlog.000008");
        rotate.setBinlogPosition(4);
        maps.put(1L, tableMap());
        feed(EventType.ROTATE, 1300, rotate);
        assertThat(maps).isEmpty();
        feed(EventType.ANONYMOUS_GTID, 200, null);
        feed(EventType.QUERY, 300, query("BEGIN"));
        TxnCommit commit = (TxnCommit) feed(EventType.QUERY, 400, query("COMMIT"));
        assertThat(commit.position()).isEqualTo(new BinlogPosition("binlog.000008", 400, UUID + ":1-6"));
    }

    @Test
    void aPartialRowImageIsRefused() {
        maps.put(42L, tableMap());
        WriteRowsEventData data = writeRows(1);
        assertThatThrownBy(() -> feed(EventType.EXT_WRITE_ROWS, 1300, data))
                .isInstanceOfSatisfying(BinlogStreamException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SYNC_BINLOG_UNSUPPORTED));
    }

    @Test
    void anUnknownStartSetStaysUnknown() {
        GtidTracker unknown = new GtidTracker(DbFlavor.MARIADB, null);
        unknown.beginMariadb(0, 1, 9);
        unknown.commit();
        assertThat(unknown.current()).isEmpty();
        GtidTracker maria = new GtidTracker(DbFlavor.MARIADB, "1-2-3,0-1-5");
        maria.beginMariadb(0, 7, 6);
        maria.commit();
        assertThat(maria.current()).isEqualTo("0-7-6,1-2-3");
        assertThatThrownBy(() -> new GtidTracker(DbFlavor.MARIADB, UUID + ":1")).isInstanceOf(IllegalArgumentException.class);
    }

    private BinlogEvent feed(EventType type, long nextPosition, EventData data) throws BinlogStreamException {
        EventHeaderV4 header = new EventHeaderV4();
        header.setEventType(type);
        header.setNextPosition(nextPosition);
        header.setTimestamp(1_700_000_000_000L);
        return translator.translate(new Event(header, data));
    }

    private static GtidEventData gtid(String gtid) {
        GtidEventData data = new GtidEventData();
        data.setGtid(gtid);
        return data;
    }

    private static QueryEventData query(String sql) {
        QueryEventData data = new QueryEventData();
        data.setDatabase("db");
        data.setSql(sql);
        return data;
    }

    private static TableMapEventData tableMap() {
        TableMapEventData map = new TableMapEventData();
        map.setTableId(42);
        map.setDatabase("db");
        map.setTable("t");
        map.setColumnTypes(new byte[] {3, 15});
        return map;
    }

    private static WriteRowsEventData writeRows(int includedColumns) {
        WriteRowsEventData data = new WriteRowsEventData();
        data.setTableId(42);
        BitSet included = new BitSet();
        included.set(0, includedColumns);
        data.setIncludedColumns(included);
        data.setRows(List.<Serializable[]>of(new Serializable[] {1, "x".getBytes()}));
        return data;
    }
}
