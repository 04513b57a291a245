package io.dmjava.worker.sync.apply;

import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.worker.db.JdbcConnector;
import io.dmjava.worker.db.SqlErrors;
import io.dmjava.worker.sync.checkpoint.AppliedMark;
import io.dmjava.worker.sync.checkpoint.SyncCheckpointStore;
import io.dmjava.worker.sync.dml.Stmt;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One apply queue's thread: takes up to {@code batch} changes, writes them and the queue's applied mark in one
 * downstream transaction, commits. Transient errors (deadlock, lock wait timeout, lost connection) retry the
 * whole transaction on a fresh connection with backoff; when the connection died during COMMIT the mark
 * tells whether the transaction made it, so a batch is never applied twice.
 */
final class QueueWorker {
    private static final Logger log = LoggerFactory.getLogger(QueueWorker.class);
    static final int MAX_ATTEMPTS = 8;

    private final int index;
    private final int queues;
    private final int batch;
    private final BlockingQueue<Job> queue;
    private final JdbcConnector target;
    private final SyncCheckpointStore store;
    private final ApplyMetrics metrics;
    private final Runnable onCommit;
    private final Consumer<DmException> onFailure;
    private final AtomicLong committed = new AtomicLong();
    private volatile boolean stopping;
    private volatile AppliedMark lastMark;
    private Thread thread;
    private Connection conn;

    QueueWorker(int index, int queues, int batch, BlockingQueue<Job> queue, JdbcConnector target, SyncCheckpointStore store,
                ApplyMetrics metrics, Runnable onCommit, Consumer<DmException> onFailure) {
        this.index = index;
        this.queues = queues;
        this.batch = batch;
        this.queue = queue;
        this.target = target;
        this.store = store;
        this.metrics = metrics;
        this.onCommit = onCommit;
        this.onFailure = onFailure;
    }

    void start(String threadPrefix) {
        thread = new Thread(this::loop, threadPrefix + "-apply-" + index);
        thread.setDaemon(true);
        thread.start();
    }

    long committed() {
        return committed.get();
    }

    AppliedMark lastMark() {
        return lastMark;
    }

    boolean isAlive() {
        return thread != null && thread.isAlive();
    }

    void stop() {
        stopping = true;
    }

    void join() {
        if (thread == null) {
            return;
        }
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeConnection();
    }

    private void loop() {
        List<Job> jobs = new ArrayList<>(batch);
        try {
            while (true) {
                Job first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (stopping) {
                        return;
                    }
                    continue;
                }
                jobs.clear();
                jobs.add(first);
                queue.drainTo(jobs, batch - 1);
                applyWithRetry(jobs);
                committed.addAndGet(jobs.size());
                metrics.committed(jobs.size());
                onCommit.run();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (DmException e) {
            onFailure.accept(e);
        } catch (RuntimeException e) {
            onFailure.accept(new DmException(ErrorCode.SYNC_APPLY_FAILED, e, jobs.isEmpty() ? "?" : jobs.get(0).target(),
                    jobs.isEmpty() ? "?" : jobs.get(0).seq().position(), String.valueOf(e)));
        } finally {
            closeConnection();
            onCommit.run();
        }
    }

    private void applyWithRetry(List<Job> jobs) throws InterruptedException {
        AppliedMark mark = new AppliedMark(index, queues, jobs.get(jobs.size() - 1).seq());
        List<Stmt> statements = BatchStatements.of(jobs);
        long backoff = 200;
        for (int attempt = 1; ; attempt++) {
            try {
                if (conn == null) {
                    conn = target.open();
                    conn.setAutoCommit(false);
                    if (attempt > 1 && alreadyCommitted(mark)) {
                        lastMark = mark;
                        return;
                    }
                }
                store.enter(conn); // first: a newer owner's claim waits for this transaction or it fails here
                for (Stmt s : statements) {
                    execute(s);
                }
                try (PreparedStatement ps = conn.prepareStatement(store.appliedUpsertSql())) {
                    store.bindApplied(ps, mark);
                    ps.executeUpdate();
                }
                conn.commit();
                lastMark = mark;
                return;
            } catch (SQLException e) {
                boolean retryable = SqlErrors.isRetryable(e);
                rollbackQuietly();
                if (!retryable || attempt >= MAX_ATTEMPTS) {
                    Job j = jobs.get(0);
                    throw new DmException(ErrorCode.SYNC_APPLY_FAILED, e, j.target(), j.seq().position(), SqlErrors.describe(e));
                }
                log.warn("apply queue {}: transient error, retry {} of {} in {} ms: {}", index, attempt, MAX_ATTEMPTS - 1,
                        backoff, SqlErrors.describe(e));
                closeConnection();
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
    }

    /** After a lost connection: did the last COMMIT reach the server before it went? */
    private boolean alreadyCommitted(AppliedMark mark) throws SQLException {
        AppliedMark stored = store.applied(conn).get(index);
        conn.commit();
        return stored != null && stored.queues() == queues && stored.seq().compareTo(mark.seq()) >= 0;
    }

    private void execute(Stmt s) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(s.sql())) {
            List<Object> params = s.params();
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            ps.executeUpdate();
        }
    }

    private void rollbackQuietly() {
        if (conn != null) {
            try {
                conn.rollback();
            } catch (SQLException ignored) {
                closeConnection(); // a connection that cannot roll back is not reused
            }
        }
    }

    private void closeConnection() {
        if (conn != null) {
            try {
                conn.close();
            } catch (SQLException ignored) {
                // already broken
            }
            conn = null;
        }
    }
}
