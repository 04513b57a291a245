package io.dmjava.worker.subtask;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.worker.sync.binlog.BinlogStreamException;
import java.io.EOFException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Which errors a worker resumes by itself, and when (pure logic; ChaosE2ETest restarts the downstream for real). */
class AutoResumeTest {
    private static final long S = 1_000_000_000L;

    @Test
    void aLostDownstreamConnectionIsTransientWhateverUnitReportsIt() {
        // what a restarted downstream gave the checkpoint and the schema tracker: a socket error, SQL state 08000
        SQLException lost = new SQLNonTransientConnectionException("(conn=32) Socket error", "08000", -1,
                new EOFException("unexpected end of stream"));
        assertThat(AutoResume.isTransient(new DmException(ErrorCode.SYNC_CHECKPOINT_FAILED, lost, "cp", "x"))).isTrue();
        assertThat(AutoResume.isTransient(new DmException(ErrorCode.SYNC_DDL_FAILED, lost, "p", "x", "ALTER"))).isTrue();
        assertThat(AutoResume.isTransient(new DmException(ErrorCode.SYNC_APPLY_FAILED, new SQLException("deadlock", "40001", 1213),
                "t", "p", "x"))).isTrue();
        assertThat(AutoResume.isTransient(new IllegalStateException(new java.net.ConnectException("refused")))).isTrue();
    }

    @Test
    void anUpstreamThatStayedAwayIsTransientButABinlogItCannotReadIsNot() {
        BinlogStreamException lost = new BinlogStreamException(ErrorCode.SYNC_BINLOG_CONNECTION_LOST, true, null, "s1", "1 s", "EOF");
        BinlogStreamException decode = new BinlogStreamException(ErrorCode.SYNC_BINLOG_DECODE_FAILED, false, null, "s1", "p", "bad");
        assertThat(AutoResume.isTransient(new DmException(ErrorCode.SYNC_UPSTREAM_FAILED, lost, "s1", "gone"))).isTrue();
        assertThat(AutoResume.isTransient(new DmException(ErrorCode.SYNC_UPSTREAM_FAILED, decode, "s1", "bad"))).isFalse();
    }

    @Test
    void whatNeedsAPersonIsNotTransient() {
        SQLException dupColumn = new SQLException("Duplicate column name 'hand'", "42S21", 1060);
        assertThat(AutoResume.isTransient(new DmException(ErrorCode.SYNC_DDL_FAILED, dupColumn, "p", "x", "ALTER"))).isFalse();
        assertThat(AutoResume.isTransient(new DmException(ErrorCode.INTERNAL, "broken"))).isFalse();
        // a fenced run must never be retried, even if a lost connection is somewhere in its causes
        SQLException lost = new SQLNonTransientConnectionException("gone", "08000");
        assertThat(AutoResume.isTransient(new DmException(ErrorCode.WORKER_FENCED, lost, "t/s1", "owner", 9L, 3L))).isFalse();
    }

    @Test
    void theBackoffDoublesUpToAMinuteAndStartsOverAfterARunThatGotGoing() {
        assertThat(AutoResume.delay(0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(AutoResume.delay(3)).isEqualTo(Duration.ofSeconds(8));
        assertThat(AutoResume.delay(6)).isEqualTo(Duration.ofSeconds(60));
        assertThat(AutoResume.delay(40)).isEqualTo(Duration.ofSeconds(60));

        AutoResume r = new AutoResume();
        Object run1 = new Object();
        assertThat(r.due(run1, 2 * S, 100 * S)).isFalse(); // scheduled 1 s later
        assertThat(r.due(run1, 2 * S, 100 * S + S / 2)).isFalse();
        assertThat(r.due(run1, 2 * S, 101 * S)).isTrue();
        Object run2 = new Object(); // failed again quickly: 2 s
        assertThat(r.due(run2, S, 110 * S)).isFalse();
        assertThat(r.due(run2, S, 111 * S)).isFalse();
        assertThat(r.due(run2, S, 112 * S)).isTrue();
        assertThat(r.attempts()).isEqualTo(2);
        Object run3 = new Object(); // ran for 15 s before failing: a new incident, back to 1 s
        assertThat(r.due(run3, 15 * S, 300 * S)).isFalse();
        assertThat(r.due(run3, 15 * S, 301 * S)).isTrue();
        assertThat(r.attempts()).isEqualTo(1);
        Object run4 = new Object(); // failed within 5 s: still the same incident, 2 s
        assertThat(r.due(run4, 5 * S, 310 * S)).isFalse();
        assertThat(r.due(run4, 5 * S, 311 * S)).isFalse();
        assertThat(r.due(run4, 5 * S, 312 * S)).isTrue();
    }
}
