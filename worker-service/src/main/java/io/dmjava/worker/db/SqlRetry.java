package io.dmjava.worker.db;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries a unit of database work with exponential backoff when it fails with a
 * {@link SqlErrors#isRetryable retryable} error. The work must be a whole transaction that can run again
 * from scratch (the caller opens a fresh connection inside it).
 *
 * @param maxAttempts    total attempts, the first one included
 * @param initialBackoff wait before the second attempt; doubled for each further one
 */
public record SqlRetry(int maxAttempts, Duration initialBackoff) {
    private static final Logger log = LoggerFactory.getLogger(SqlRetry.class);

    /** Six attempts over about 15 s: enough for a deadlock, a failover or a brief network cut. */
    public static final SqlRetry DEFAULT = new SqlRetry(6, Duration.ofMillis(500));

    /** Work that may throw anything; checked exceptions pass through unchanged after the last attempt. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws Exception;
    }

    /**
     * Runs {@code work}, retrying retryable failures. Non-retryable failures and the last retryable one
     * are rethrown as they are.
     *
     * @param what a short description for the log, e.g. {@code chunk db.t.00012}
     */
    public <T> T call(String what, Work<T> work) throws Exception {
        RetryConfig config = RetryConfig.custom()
                .maxAttempts(maxAttempts)
                .intervalFunction(IntervalFunction.ofExponentialBackoff(initialBackoff, 2.0))
                .retryOnException(SqlErrors::isRetryable)
                .build();
        Retry retry = Retry.of(what, config);
        retry.getEventPublisher().onRetry(e -> log.warn("{}: attempt {} failed ({}), retrying in {} ms", what,
                e.getNumberOfRetryAttempts(), SqlErrors.describe(e.getLastThrowable()), e.getWaitInterval().toMillis()));
        Callable<T> callable = Retry.decorateCallable(retry, work::run);
        return callable.call();
    }
}
