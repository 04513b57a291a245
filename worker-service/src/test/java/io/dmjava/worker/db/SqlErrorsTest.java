package io.dmjava.worker.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SqlErrorsTest {
    @Test
    void deadlocksLockTimeoutsAndLostConnectionsAreRetryable() {
        assertThat(SqlErrors.isRetryable(new SQLException("deadlock", "40001", 1213))).isTrue();
        assertThat(SqlErrors.isRetryable(new SQLException("lock wait", "HY000", 1205))).isTrue();
        assertThat(SqlErrors.isRetryable(new SQLException("gone away", "HY000", 2006))).isTrue();
        assertThat(SqlErrors.isRetryable(new SQLException("lost", "HY000", 2013))).isTrue();
        assertThat(SqlErrors.isRetryable(new SQLNonTransientConnectionException("socket", "08S01", 0))).isTrue();
        assertThat(SqlErrors.isRetryable(new RuntimeException(new SQLException("wrapped", "40001", 1213)))).isTrue();
    }

    @Test
    void dataAndSchemaErrorsAreNot() {
        assertThat(SqlErrors.isRetryable(new SQLException("dup", "23000", 1062))).isFalse();
        assertThat(SqlErrors.isRetryable(new SQLException("no db", "3D000", 1046))).isFalse();
        assertThat(SqlErrors.isRetryable(new SQLException("syntax", "42000", 1064))).isFalse();
        assertThat(SqlErrors.isDuplicateKey(new SQLException("dup", "23000", 1062))).isTrue();
    }

    @Test
    void retryRunsAgainOnlyForRetryableErrors() throws Exception {
        SqlRetry retry = new SqlRetry(4, Duration.ofMillis(1));
        AtomicInteger calls = new AtomicInteger();
        String result = retry.call("test", () -> {
            if (calls.incrementAndGet() < 3) {
                throw new SQLException("deadlock", "40001", 1213);
            }
            return "ok";
        });
        assertThat(result).isEqualTo("ok");
        assertThat(calls).hasValue(3);

        AtomicInteger failing = new AtomicInteger();
        assertThatThrownBy(() -> retry.call("test", () -> {
            failing.incrementAndGet();
            throw new SQLException("dup", "23000", 1062);
        })).isInstanceOf(SQLException.class);
        assertThat(failing).hasValue(1);

        AtomicInteger exhausted = new AtomicInteger();
        assertThatThrownBy(() -> retry.call("test", () -> {
            exhausted.incrementAndGet();
            throw new SQLException("lost", "08S01", 2013);
        })).isInstanceOf(SQLException.class).hasMessage("lost");
        assertThat(exhausted).hasValue(4);
    }
}
