package io.dmjava.worker.sync;

import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.task.TableName;
import io.dmjava.worker.db.JdbcConnector;
import io.dmjava.worker.db.SqlErrors;
import io.dmjava.worker.unit.UnitContext;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** The upstream tables of one source that the task's rules merge into a downstream table, as the upstream has them now. */
final class ShardTables {
    private ShardTables() {
    }

    static List<TableName> of(JdbcConnector source, UnitContext ctx, TableName target) {
        List<TableName> out = new ArrayList<>();
        try (Connection c = source.open(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES"
                     + " WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA NOT IN"
                     + " ('mysql', 'information_schema', 'performance_schema', 'sys')")) {
            while (rs.next()) {
                TableName t = new TableName(rs.getString(1), rs.getString(2));
                if (ctx.router().route(t.schema(), t.table()).filter(target::equals).isPresent()) {
                    out.add(t);
                }
            }
        } catch (SQLException e) {
            throw new DmException(ErrorCode.SYNC_UPSTREAM_FAILED, e, ctx.sourceName(), SqlErrors.describe(e));
        }
        return out;
    }
}
