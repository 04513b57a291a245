package io.dmjava.worker.sync.binlog;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import com.github.shyiko.mysql.binlog.event.deserialization.DeleteRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.UpdateRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.WriteRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.Map;

/**
 * The library's rows-event decoders with the lossy cells replaced by {@link ExactCells}: one subclass per event
 * kind (the library's decoders are separate classes), each sending every cell through {@link ExactCells#cell}.
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
        protected Serializable deserializeCell(ColumnType type, int meta, int length, ByteArrayInputStream in) throws IOException {
            Serializable exact = ExactCells.cell(type, meta, length, in);
            return exact != ExactCells.NOT_HANDLED ? exact : super.deserializeCell(type, meta, length, in);
        }
    }

    /** UPDATE_ROWS (v1, MariaDB) and EXT_UPDATE_ROWS (v2, MySQL). */
    static final class Update extends UpdateRowsEventDataDeserializer {
        Update(Map<Long, TableMapEventData> tableMaps, boolean v2) {
            super(tableMaps);
            setMayContainExtraInformation(v2);
        }

        @Override
        protected Serializable deserializeCell(ColumnType type, int meta, int length, ByteArrayInputStream in) throws IOException {
            Serializable exact = ExactCells.cell(type, meta, length, in);
            return exact != ExactCells.NOT_HANDLED ? exact : super.deserializeCell(type, meta, length, in);
        }
    }

    /** DELETE_ROWS (v1, MariaDB) and EXT_DELETE_ROWS (v2, MySQL). */
    static final class Delete extends DeleteRowsEventDataDeserializer {
        Delete(Map<Long, TableMapEventData> tableMaps, boolean v2) {
            super(tableMaps);
            setMayContainExtraInformation(v2);
        }

        @Override
        protected Serializable deserializeCell(ColumnType type, int meta, int length, ByteArrayInputStream in) throws IOException {
            Serializable exact = ExactCells.cell(type, meta, length, in);
            return exact != ExactCells.NOT_HANDLED ? exact : super.deserializeCell(type, meta, length, in);
        }
    }
}
