package io.dmjava.worker.fence;

import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.testsupport.MariaDbInstance;
import io.dmjava.worker.db.JdbcConnector;
import io.dmjava.worker.unit.DbConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/** The fences of one task's "workers" on a real downstream, each with a proven lease unless a test says otherwise. */
final class FenceFixture {
    final JdbcConnector db;
    final String task;
    final LeaseGuard guard = new LeaseGuard(System::nanoTime, false);

    FenceFixture(MariaDbInstance d, String task) {
        this.db = new JdbcConnector(new DbConfig(d.host(), d.port(), d.user(), d.password(), null), List.of());
        this.task = task;
        d.execute("CREATE DATABASE IF NOT EXISTS app");
    }

    /** A fence under lease {@code lease} of {@code g}. */
    OwnerFence fence(String source, long token, LeaseGuard g, long lease, boolean audit, Duration ddlLockLimit) {
        return new OwnerFence(g, new OwnerTokenStore("dm_meta", task, source), db,
                new OwnerFence.Run(lease, Duration.ofSeconds(1), token, "w" + token, task + "/" + source, audit), ddlLockLimit);
    }

    /** A fence whose lease stays proven for the test. */
    OwnerFence fence(String source, long token, boolean audit, Duration ddlLockLimit) {
        guard.track(1, Duration.ofHours(1), System.nanoTime(), id -> 3600);
        return fence(source, token, guard, 1, audit, ddlLockLimit);
    }

    /** The first column of the first row, -1 for NULL. */
    long scalar(String sql, Object... args) throws SQLException {
        try (Connection c = db.open(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long v = rs.getLong(1);
                return rs.wasNull() ? -1 : v;
            }
        }
    }

    static ErrorCode codeOf(Throwable t) {
        return t instanceof DmException e ? e.errorCode() : null;
    }
}
