package io.dmjava.worker.load;

import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.task.TableName;
import io.dmjava.worker.db.JdbcConnector;
import io.dmjava.worker.db.SqlErrors;
import io.dmjava.worker.db.SqlRetry;
import io.dmjava.worker.db.SqlText;
import io.dmjava.worker.dump.DumpMetadata.DumpedColumn;
import io.dmjava.worker.dump.PlanJournal;
import io.dmjava.worker.unit.UnitContext;
import io.dmjava.worker.unit.UnitException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dump's chunk plan in the downstream, {@code <meta_schema>.<task>_dump_plan}: one row per planned table
 * (structure, key, chunk ranges as JSON), replaced as a whole in one transaction when a dump makes a new plan.
 * With the loader checkpoint next to it (which chunks are loaded, at which position) it is everything a worker
 * taking the subtask over needs to continue the dump of a dead one. {@code remove_meta} drops it with the task's
 * other meta tables.
 */
public final class DumpPlanStore implements PlanJournal {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<List<PlannedChunk>> CHUNKS = new TypeReference<>() { };
    private static final TypeReference<List<DumpedColumn>> COLUMNS = new TypeReference<>() { };

    private final SqlRetry retry;

    public DumpPlanStore(SqlRetry retry) {
        this.retry = retry;
    }

    static TableName table(UnitContext ctx) {
        return new TableName(ctx.metaSchema(), ctx.taskName() + "_dump_plan");
    }

    @Override
    public Optional<Saved> find(UnitContext ctx, String dumpId) {
        return call(ctx, "read the saved dump plan", c -> {
            ensure(c, table(ctx));
            List<PlannedTable> tables = new ArrayList<>();
            String planId = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT `table_index`, `plan_id`, `dump_id`, `table_schema`,"
                    + " `table_name`, `create_database`, `create_table`, `key_index`, `columns`, `estimated_rows`, `chunks`"
                    + " FROM " + table(ctx).quoted() + " WHERE `source` = ? ORDER BY `table_index`")) {
                ps.setString(1, ctx.sourceName());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (!dumpId.equals(rs.getString(3)) || (planId != null && !planId.equals(rs.getString(2)))) {
                            return Optional.<Saved>empty(); // another run's plan: nothing to continue
                        }
                        planId = rs.getString(2);
                        tables.add(new PlannedTable(rs.getInt(1), rs.getString(4), rs.getString(5), rs.getString(6),
                                rs.getString(7), rs.getString(8), JSON.readValue(rs.getString(9), COLUMNS), rs.getLong(10),
                                JSON.readValue(rs.getString(11), CHUNKS)));
                    }
                }
            }
            if (planId == null) {
                return Optional.<Saved>empty();
            }
            CheckpointStore checkpoints = new CheckpointStore(ctx.metaSchema(), ctx.taskName());
            checkpoints.ensure(c);
            return Optional.of(new Saved(new Plan(planId, dumpId, tables), checkpoints.loaded(c, ctx.sourceName(), planId)));
        });
    }

    @Override
    public void save(UnitContext ctx, Plan plan) {
        TableName t = table(ctx);
        call(ctx, "save the dump plan", c -> {
            ensure(c, t);
            c.setAutoCommit(false);
            try {
                try (PreparedStatement del = c.prepareStatement("DELETE FROM " + t.quoted() + " WHERE `source` = ?")) {
                    del.setString(1, ctx.sourceName());
                    del.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t.quoted() + " (`source`, `table_index`,"
                        + " `plan_id`, `dump_id`, `table_schema`, `table_name`, `create_database`, `create_table`, `key_index`,"
                        + " `columns`, `estimated_rows`, `chunks`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    for (PlannedTable p : plan.tables()) {
                        ps.setString(1, ctx.sourceName());
                        ps.setInt(2, p.index());
                        ps.setString(3, plan.planId());
                        ps.setString(4, plan.dumpId());
                        ps.setString(5, p.schema());
                        ps.setString(6, p.table());
                        ps.setString(7, p.createDatabase());
                        ps.setString(8, p.createTable());
                        ps.setString(9, p.keyIndex());
                        ps.setString(10, JSON.writeValueAsString(p.columns()));
                        ps.setLong(11, p.estimatedRows());
                        ps.setString(12, JSON.writeValueAsString(p.chunks()));
                        ps.executeUpdate(); // one row at a time: a table's chunk list may be large
                    }
                }
                c.commit();
            } finally {
                c.rollback(); // a no-op after the commit
            }
            return null;
        });
    }

    private static void ensure(Connection c, TableName t) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE IF NOT EXISTS " + SqlText.quote(t.schema()));
            st.execute("CREATE TABLE IF NOT EXISTS " + t.quoted() + " ("
                    + "`source` VARCHAR(128) NOT NULL,"
                    + "`table_index` INT NOT NULL,"
                    + "`plan_id` VARCHAR(64) NOT NULL,"
                    + "`dump_id` VARCHAR(600) NOT NULL,"
                    + "`table_schema` VARCHAR(64) NOT NULL,"
                    + "`table_name` VARCHAR(64) NOT NULL,"
                    + "`create_database` TEXT NOT NULL,"
                    + "`create_table` LONGTEXT NOT NULL,"
                    + "`key_index` VARCHAR(64) NULL,"
                    + "`columns` LONGTEXT NOT NULL,"
                    + "`estimated_rows` BIGINT NOT NULL,"
                    + "`chunks` LONGTEXT NOT NULL,"
                    + "`create_time` TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),"
                    + "PRIMARY KEY (`source`, `table_index`)"
                    + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin");
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T call(UnitContext ctx, String what, Work<T> work) {
        JdbcConnector connector = new JdbcConnector(ctx.target(), TargetSession.statements());
        try {
            return retry.call(what, () -> {
                try (Connection c = connector.open()) {
                    return work.run(c);
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnitException(ErrorCode.LOAD_CHECKPOINT_FAILED, e, table(ctx), "interrupted");
        } catch (UnitException e) {
            throw e;
        } catch (Exception e) {
            throw new UnitException(ErrorCode.LOAD_CHECKPOINT_FAILED, e, table(ctx), SqlErrors.describe(e));
        }
    }
}
