package io.dmjava.worker.fence;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.model.error.ErrorCode;
import io.dmjava.testsupport.MariaDbExtension;
import io.dmjava.worker.db.JdbcConnector;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The DDL lock on a real MariaDB: a DDL of an earlier owner (statements that commit by themselves, so no fenced
 * transaction can hold them back) either ends before a newer owner's claim or never runs.
 */
class DdlLockTest {
    @RegisterExtension
    static final MariaDbExtension DOWN = MariaDbExtension.downstream();
    private static final String TASK = "ddllock";
    private static FenceFixture fx;
    private static JdbcConnector db;

    @BeforeAll
    static void setUp() {
        fx = new FenceFixture(DOWN.instance(), TASK);
        db = fx.db;
    }

    private OwnerFence fence(String source, long token, Duration ddlLockLimit) {
        return fx.fence(source, token, false, ddlLockLimit);
    }

    private OwnerFence fence(String source, long token) {
        return fence(source, token, OwnerFence.DDL_LOCK_LIMIT);
    }

    private static DdlLock lock(String source) {
        return new DdlLock("dm_meta", TASK, source);
    }

    /** A "worker thread" running one DDL through {@code fence}; what it ended with is kept. */
    private static final class DdlThread {
        final AtomicReference<Throwable> error = new AtomicReference<>();
        final AtomicBoolean finished = new AtomicBoolean();
        final Thread thread;

        DdlThread(Fence fence, Connection c, Fence.SqlWork work) {
            thread = new Thread(() -> {
                try {
                    fence.ddl(c, work);
                    finished.set(true);
                } catch (Throwable t) {
                    error.set(t);
                }
            }, "stale-ddl");
            thread.setDaemon(true);
            thread.start();
        }

        Throwable await() throws InterruptedException {
            thread.join(120_000);
            assertThat(thread.isAlive()).as("the DDL thread ended").isFalse();
            return error.get();
        }
    }

    private static ErrorCode codeOf(Throwable t) {
        return FenceFixture.codeOf(t);
    }

    private static long scalar(String sql, Object... args) throws SQLException {
        return fx.scalar(sql, args);
    }

    /** Work that runs {@code sqls} on {@code c}. */
    private static Fence.SqlWork statements(Connection c, String... sqls) {
        return () -> {
            try (Statement st = c.createStatement()) {
                for (String sql : sqls) {
                    st.execute(sql);
                }
            }
        };
    }

    private static long token(String source) throws SQLException {
        return scalar("SELECT token FROM dm_meta." + TASK + "_owner WHERE source = ?", source);
    }

    private static long holder(String source) throws SQLException {
        return scalar("SELECT IS_USED_LOCK(?)", lock(source).name());
    }

    private static void awaitHeld(String source, DdlThread t) throws Exception {
        for (int i = 0; i < 2_400 && holder(source) < 0; i++) {
            assertThat(t.error.get()).as("the DDL thread failed early").isNull();
            Thread.sleep(25);
        }
        assertThat(holder(source)).as("the DDL lock is held").isPositive();
    }

    /** Whether the server session {@code id} is gone or goes within a bounded wait (its list entry may linger). */
    private static boolean sessionEnds(long id) throws Exception {
        for (int i = 0; i < 2_400; i++) {
            if (scalar("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = ?", id) == 0) {
                return true;
            }
            Thread.sleep(25);
        }
        return false;
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await(120, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void exec(String sql) throws SQLException {
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    @Test
    void aDdlFrozenUnderTheLockIsKilledByTheClaimAndNeverRunsAfterIt() throws Exception {
        exec("CREATE TABLE app.frozen (id INT PRIMARY KEY)");
        exec("INSERT INTO app.frozen VALUES (1), (2)");
        OwnerFence old = fence("frozen", 10);
        old.claim();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch thaw = new CountDownLatch(1);
        try (Connection oldConn = db.open()) {
            // the old owner checked its token under the lock, then its process stops before the TRUNCATE is sent
            DdlThread stale = new DdlThread(old, oldConn, () -> {
                entered.countDown();
                awaitUninterruptibly(thaw);
                try (Statement st = oldConn.createStatement()) {
                    st.execute("TRUNCATE TABLE app.frozen");
                }
            });
            assertThat(entered.await(120, TimeUnit.SECONDS)).isTrue();
            long staleConn = holder("frozen");
            assertThat(staleConn).isPositive();

            fence("frozen", 20).claim(); // kills the holder of the DDL lock, raises the token, releases the lock

            assertThat(token("frozen")).isEqualTo(20);
            assertThat(holder("frozen")).as("the claim released the lock").isEqualTo(-1);
            assertThat(sessionEnds(staleConn)).as("the stale connection is gone").isTrue();
            exec("INSERT INTO app.frozen VALUES (3)"); // the new owner replayed the TRUNCATE and writes on

            thaw.countDown(); // SIGCONT
            Throwable end = stale.await();
            assertThat(codeOf(end)).as("how the stale DDL ended: %s", end).isEqualTo(ErrorCode.WORKER_FENCED);
        }
        assertThat(scalar("SELECT COUNT(*) FROM app.frozen")).as("rows after the stale TRUNCATE was let go").isEqualTo(3);
        assertThat(holder("frozen")).isEqualTo(-1);
    }

    @Test
    void aLongDdlRunningUnderTheLockIsInterruptedByTheClaim() throws Exception {
        exec("CREATE TABLE app.slow (id INT PRIMARY KEY)");
        OwnerFence old = fence("slow", 10);
        old.claim();
        try (Connection oldConn = db.open()) {
            // SLEEP stands for a long ALTER: the statement runs on the server when the claim comes
            DdlThread stale = new DdlThread(old, oldConn, statements(oldConn, "SELECT SLEEP(600)",
                    "ALTER TABLE app.slow ADD COLUMN late INT"));
            awaitHeld("slow", stale);

            fence("slow", 20).claim();

            assertThat(token("slow")).isEqualTo(20);
            Throwable end = stale.await();
            assertThat(codeOf(end)).as("how the stale DDL ended: %s", end).isEqualTo(ErrorCode.WORKER_FENCED);
        }
        assertThat(scalar("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'app'"
                + " AND TABLE_NAME = 'slow' AND COLUMN_NAME = 'late'")).isZero();
    }

    @Test
    void aDdlWaitingWhileTheClaimHoldsTheLockFindsTheNewTokenAndDoesNotRun() throws Exception {
        OwnerFence old = fence("waiting", 10);
        old.claim();
        AtomicBoolean ran = new AtomicBoolean();
        try (Connection claim = db.open(); Connection oldConn = db.open()) {
            // what a claim does between taking the lock and releasing it, held open here
            assertThat(lock("waiting").tryTake(claim, Duration.ofSeconds(1))).isTrue();
            DdlThread stale = new DdlThread(old, oldConn, () -> ran.set(true));
            try (Statement st = claim.createStatement()) {
                st.execute("UPDATE dm_meta." + TASK + "_owner SET token = 20 WHERE source = 'waiting'");
            }
            lock("waiting").releaseQuietly(claim);
            Throwable end = stale.await();
            assertThat(codeOf(end)).as("how the waiting DDL ended: %s", end).isEqualTo(ErrorCode.WORKER_FENCED);
        }
        assertThat(ran).isFalse();
        assertThat(holder("waiting")).isEqualTo(-1);
    }

    @Test
    void aForeignHolderMakesTheDdlFailWithAWorkaroundInsteadOfWaitingForever() throws Exception {
        OwnerFence owner = fence("foreign", 10, Duration.ofSeconds(2));
        owner.claim();
        AtomicBoolean ran = new AtomicBoolean();
        try (Connection foreign = db.open(); Connection c = db.open()) {
            assertThat(lock("foreign").tryTake(foreign, Duration.ofSeconds(1))).isTrue();
            long foreignId = DdlLock.connectionId(foreign);
            Throwable end = new DdlThread(owner, c, () -> ran.set(true)).await();
            assertThat(codeOf(end)).as("how the DDL ended: %s", end).isEqualTo(ErrorCode.WORKER_DDL_LOCK_TIMEOUT);
            assertThat(end.getMessage()).contains(lock("foreign").name()).contains("connection " + foreignId);
        }
        assertThat(ran).isFalse();
    }

    @Test
    void aSessionAnEarlierRunLeftHoldingTheLockIsKilledWhenTheSameOwnerStartsAgain() throws Exception {
        OwnerFence owner = fence("leftover", 10);
        owner.claim();
        try (Connection leftover = db.open()) {
            // e.g. a DDL connection cut off from the worker that the server still keeps, and its lock with it
            assertThat(lock("leftover").tryTake(leftover, Duration.ofSeconds(1))).isTrue();
            long id = DdlLock.connectionId(leftover);

            owner.claim(); // the next run of the same owner (a resume): the token stays, the leftover goes

            assertThat(sessionEnds(id)).as("the leftover session is gone").isTrue();
        }
        assertThat(token("leftover")).isEqualTo(10);
        assertThat(holder("leftover")).isEqualTo(-1);
    }

    @Test
    void aRejectedDdlReleasesTheLockAndKeepsItsOwnError() throws Exception {
        OwnerFence owner = fence("rejected", 10);
        owner.claim();
        try (Connection c = db.open()) {
            Throwable end = new DdlThread(owner, c, statements(c, "ALTER TABLE app.missing ADD COLUMN x INT")).await();
            assertThat(end).isInstanceOf(SQLException.class);
            assertThat(((SQLException) end).getErrorCode()).isEqualTo(1146);
            assertThat(holder("rejected")).isEqualTo(-1);

            exec("CREATE TABLE app.rejected (id INT)");
            owner.ddl(c, statements(c, "ALTER TABLE app.rejected ADD COLUMN x INT"));
            assertThat(holder("rejected")).isEqualTo(-1);
        }
        assertThat(scalar("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'app'"
                + " AND TABLE_NAME = 'rejected' AND COLUMN_NAME = 'x'")).isEqualTo(1);
    }

    @Test
    void longNamesAreHashedWithinSixtyFourCharacters() throws Exception {
        String source = "s".repeat(100);
        String name = DdlLock.name("dm_meta", TASK, source);
        assertThat(name).hasSizeLessThanOrEqualTo(DdlLock.MAX_NAME).startsWith("dm_ddl.")
                .isEqualTo(DdlLock.name("dm_meta", TASK, source))
                .isNotEqualTo(DdlLock.name("dm_meta", TASK, source + "t"));
        assertThat(DdlLock.name("dm_meta", "t1", "mysql-01")).isEqualTo("dm_ddl.dm_meta.t1.mysql-01");

        OwnerFence old = fence(source, 10);
        old.claim();
        try (Connection c = db.open()) {
            DdlThread stale = new DdlThread(old, c, statements(c, "SELECT SLEEP(600)"));
            awaitHeld(source, stale);
            fence(source, 20).claim();
            assertThat(codeOf(stale.await())).isEqualTo(ErrorCode.WORKER_FENCED);
        }
        assertThat(token(source)).isEqualTo(20);
    }
}
