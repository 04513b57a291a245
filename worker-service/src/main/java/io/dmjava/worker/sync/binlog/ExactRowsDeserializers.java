package io.dmjava.worker.sync.binlog;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.DeleteRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.UpdateRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.WriteRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.Map;

/**
 * The library's rows-event decoders with the lossy cells replaced by {@link ExactCells} (one subclass per
 * event kind, as the library's decoders are separate classes; the overrides are the same in each).
 */
final class ExactRowsDeserializers {
    private ExactRowsDeserializers() {
    }

    /** WRITE_ROWS (v1, MariaDB) and EXT_WRITE_ROWS (v2, MySQL). */
    static final class Write extends WriteRowsEventDataDeserializer {
        Write(Map<Long, TableMapEventData> tableMaps, boolean v2) {
            super(tableMaps);
            setMayContainExtraInformation(v2);
        }

        @Override
        protected Serializable deserializeDate(ByteArrayInputStream in) throws IOException {
            return ExactCells.date(in);
        }

        @Override
        protected Serializable deserializeTime(ByteArrayInputStream in) throws IOException {
            return ExactCells.time(in);
        }

        @Override
        protected Serializable deserializeTimeV2(int meta, ByteArrayInputStream in) throws IOException {
            return ExactCells.timeV2(meta, in);
        }

        @Override
        protected Serializable deserializeTimestamp(ByteArrayInputStream in) throws IOException {
            return ExactCells.timestamp(in);
        }

        @Override
        protected Serializable deserializeTimestampV2(int meta, ByteArrayInputStream in) throws IOException {
            return ExactCells.timestampV2(meta, in);
        }

        @Override
        protected Serializable deserializeDatetime(ByteArrayInputStream in) throws IOException {
            return ExactCells.datetime(in);
        }

        @Override
        protected Serializable deserializeDatetimeV2(int meta, ByteArrayInputStream in) throws IOException {
            return ExactCells.datetimeV2(meta, in);
        }

        @Override
        protected Serializable deserializeYear(ByteArrayInputStream in) throws IOException {
            return ExactCells.year(in);
        }

        @Override
        protected Serializable deserializeString(int length, ByteArrayInputStream in) throws IOException {
            return ExactCells.string(length, in);
        }

        @Override
        protected Serializable deserializeVarString(int meta, ByteArrayInputStream in) throws IOException {
            return ExactCells.varString(meta, in);
        }
    }

    /** UPDATE_ROWS (v1, MariaDB) and EXT_UPDATE_ROWS (v2, MySQL). */
    static final class Update extends UpdateRowsEventDataDeserializer {
        Update(Map<Long, TableMapEventData> tableMaps, boolean v2) {
            super(tableMaps);
            setMayContainExtraInformation(v2);
        }

        @Override
        protected Serializable deserializeDate(ByteArrayInputStream in) throws IOException {
            return ExactCells.date(in);
        }

        @Override
        protected Serializable deserializeTime(ByteArrayInputStream in) throws IOException {
            return ExactCells.time(in);
        }

        @Override
        protected Serializable deserializeTimeV2(int meta, ByteArrayInputStream in) throws IOException {
            return ExactCells.timeV2(meta, in);
        }

        @Override
        protected Serializable deserializeTimestamp(ByteArrayInputStream in) throws IOException {
            return ExactCells.timestamp(in);
        }

        @Override
        protected Serializable deserializeTimestampV2(int meta, ByteArrayInputStream in) throws IOException {
            return ExactCells.timestampV2(meta, in);
        }

        @Override
        protected Serializable deserializeDatetime(ByteArrayInputStream in) throws IOException {
            return ExactCells.datetime(in);
        }

        @Override
        protected Serializable deserializeDatetimeV2(int meta, ByteArrayInputStream in) throws IOException {
            return ExactCells.datetimeV2(meta, in);
        }

        @Override
        protected Serializable deserializeYear(ByteArrayInputStream in) throws IOException {
            return ExactCells.year(in);
        }

        @Override
        protected Serializable deserializeString(int length, ByteArrayInputStream in) throws IOException {
            return ExactCells.string(length, in);
        }

        @Override
        protected Serializable deserializeVarString(int meta, ByteArrayInputStream in) throws IOException {
            return ExactCells.varString(meta, in);
        }
    }

    /** DELETE_ROWS (v1, MariaDB) and EXT_DELETE_ROWS (v2, MySQL). */
    static final class Delete extends DeleteRowsEventDataDeserializer {
        Delete(Map<Long, TableMapEventData> tableMaps, boolean v2) {
            super(tableMaps);
            setMayContainExtraInformation(v2);
        }

        @Override
        protected Serializable deserializeDate(ByteArrayInputStream in) throws IOException {
            return ExactCells.date(in);
        }

        @Override
        protected Serializable deserializeTime(ByteArrayInputStream in) throws IOException {
            return ExactCells.time(in);
        }

        @Override
        protected Serializable deserializeTimeV2(int meta, ByteArrayInputStream in) throws IOException {
            return ExactCells.timeV2(meta, in);
        }

        @Override
        protected Serializable deserializeTimestamp(ByteArrayInputStream in) throws IOException {
            return ExactCells.timestamp(in);
        }

        @Override
        protected Serializable deserializeTimestampV2(int meta, ByteArrayInputStream in) throws IOException {
            return ExactCells.timestampV2(meta, in);
        }

        @Override
        protected Serializable deserializeDatetime(ByteArrayInputStream in) throws IOException {
            return ExactCells.datetime(in);
        }

        @Override
        protected Serializable deserializeDatetimeV2(int meta, ByteArrayInputStream in) throws IOException {
            return ExactCells.datetimeV2(meta, in);
        }

        @Override
        protected Serializable deserializeYear(ByteArrayInputStream in) throws IOException {
            return ExactCells.year(in);
        }

        @Override
        protected Serializable deserializeString(int length, ByteArrayInputStream in) throws IOException {
            return ExactCells.string(length, in);
        }

        @Override
        protected Serializable deserializeVarString(int meta, ByteArrayInputStream in) throws IOException {
            return ExactCells.varString(meta, in);
        }
    }
}
