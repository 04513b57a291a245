package io.dmjava.worker.fence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dmjava.model.error.ErrorCode;
import io.dmjava.testsupport.MariaDbExtension;
import io.dmjava.worker.db.JdbcConnector;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two competing "workers" (two fences of one subtask with different owner tokens) on a real MariaDB: a data
 * transaction of the older owner either commits before the newer owner's claim or fails, never after it.
 */
class OwnerFenceTest {
    @RegisterExtension
    static final MariaDbExtension DOWN = MariaDbExtension.downstream();
    private static FenceFixture fx;
    private static JdbcConnector db;

    @BeforeAll
    static void setUp() {
        fx = new FenceFixture(DOWN.instance(), "fencetest");
        db = fx.db;
        DOWN.instance().execute("CREATE TABLE app.t (source VARCHAR(16), token BIGINT, seq BIGINT, PRIMARY KEY (source, seq))");
    }

    private OwnerFence fence(String source, long token, LeaseGuard g, long lease) {
        return fx.fence(source, token, g, lease, true, OwnerFence.DDL_LOCK_LIMIT);
    }

    private OwnerFence fence(String source, long token) {
        return fx.fence(source, token, true, OwnerFence.DDL_LOCK_LIMIT);
    }

    private static void insert(Connection c, String source, long token, long seq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO app.t VALUES (?, ?, ?)")) {
            ps.setString(1, source);
            ps.setLong(2, token);
            ps.setLong(3, seq);
            ps.executeUpdate();
        }
    }

    private static long count(String sql, Object... args) throws SQLException {
        return fx.scalar(sql, args);
    }

    private static long rows(String source, long token) throws SQLException {
        return count("SELECT COUNT(*) FROM app.t WHERE source = ? AND token = ?", source, token);
    }

    private static ErrorCode codeOf(Throwable t) {
        return FenceFixture.codeOf(t);
    }

    @Test
    void aTransactionFrozenBeforeItsCommitIsKilledByTheClaimAndCanNeverCommit() throws Exception {
        OwnerFence old = fence("frozen", 10);
        old.claim();
        Connection frozen = db.open();
        frozen.setAutoCommit(false);
        old.enter(frozen);
        insert(frozen, "frozen", 10, 1); // ... and the process stops right here, before COMMIT

        fence("frozen", 20).claim(); // waits for the shared lock, kills the frozen connection, raises the token

        assertThatThrownBy(frozen::commit).isInstanceOf(SQLException.class); // SIGCONT: the late COMMIT fails
        frozen.close();
        assertThat(rows("frozen", 10)).isZero();
        try (Connection retry = db.open()) {
            retry.setAutoCommit(false);
            assertThatThrownBy(() -> old.enter(retry)).matches(t -> codeOf(t) == ErrorCode.WORKER_FENCED);
        }
        try (Connection c = db.open()) {
            c.setAutoCommit(false);
            fence("frozen", 20).enter(c);
            insert(c, "frozen", 20, 1);
            c.commit();
        }
        assertThat(rows("frozen", 20)).isEqualTo(1);
    }

    @Test
    void underContinuousWritesTheOlderOwnerCommitsNothingAfterTheClaim() throws Exception {
        OwnerFence old = fence("busy", 100);
        old.claim();
        AtomicLong committed = new AtomicLong();
        AtomicReference<Throwable> end = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            Connection c = null;
            try {
                for (long seq = 1; seq <= 1_000_000; seq++) {
                    if (c == null) {
                        c = db.open();
                        c.setAutoCommit(false);
                    }
                    try {
                        old.enter(c);
                        insert(c, "busy", 100, seq);
                        c.commit();
                        committed.incrementAndGet();
                    } catch (SQLException e) { // killed by the claim: a retry on a new connection
                        c.close();
                        c = null;
                    }
                }
            } catch (Throwable t) {
                end.set(t);
            }
        }, "old-owner");
        writer.start();
        for (int i = 0; i < 10_000 && committed.get() < 200 && writer.isAlive(); i++) {
            Thread.sleep(5);
        }
        assertThat(committed.get()).as("the old owner wrote before the claim (%s)", end.get()).isGreaterThanOrEqualTo(200);

        fence("busy", 200).claim();
        long atClaim = rows("busy", 100);

        writer.join(120_000);
        assertThat(writer.isAlive()).isFalse();
        assertThat(codeOf(end.get())).as("how the old owner ended: %s", end.get()).isEqualTo(ErrorCode.WORKER_FENCED);
        assertThat(rows("busy", 100)).as("rows of the old owner after the claim").isEqualTo(atClaim);
        assertThat(count("SELECT SUM(commits) FROM dm_meta.fencetest_owner_commits WHERE source = ? AND token = ?", "busy", 100L))
                .as("audited commits of the old owner").isEqualTo(atClaim);
        System.out.printf("FENCE: the old owner committed %d transactions before the claim, none after%n", atClaim);
    }

    @Test
    void aStaleClaimFailsWithoutDisturbingTheNewerOwner() throws Exception {
        OwnerFence newer = fence("stale", 50);
        newer.claim();
        try (Connection c = db.open()) {
            c.setAutoCommit(false);
            newer.enter(c);
            insert(c, "stale", 50, 1);
            assertThatThrownBy(() -> fence("stale", 40).claim()).matches(t -> codeOf(t) == ErrorCode.WORKER_FENCED);
            c.commit(); // the newer owner's open transaction was not killed
        }
        assertThat(rows("stale", 50)).isEqualTo(1);
        newer.claim(); // claiming again with the same token is a no-op
    }

    @Test
    void withoutAProvenLeaseNothingIsWritten() throws Exception {
        LeaseGuard lost = new LeaseGuard(System::nanoTime, false);
        lost.track(5, Duration.ofHours(1), System.nanoTime(), id -> 3600);
        OwnerFence f = fence("lease", 70, lost, 5);
        f.claim();
        lost.forget(5); // etcd said the lease is gone
        try (Connection c = db.open()) {
            c.setAutoCommit(false);
            assertThatThrownBy(() -> f.enter(c)).matches(t -> codeOf(t) == ErrorCode.WORKER_LEASE_EXPIRED);
        }
        assertThatThrownBy(f::claim).matches(t -> codeOf(t) == ErrorCode.WORKER_LEASE_EXPIRED);
    }
}
