package io.dmjava.worker.fence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The guard's arithmetic on a fake monotonic clock, probed by the test itself. */
class LeaseGuardTest {
    private static final long S = 1_000_000_000L;
    private final AtomicLong now = new AtomicLong(1_000 * S);
    private final AtomicLong remaining = new AtomicLong(3);
    private final LeaseGuard guard = new LeaseGuard(now::get, false);

    private void track(long id) {
        guard.track(id, Duration.ofSeconds(3), now.get(), leaseId -> remaining.get());
    }

    @Test
    void aFreezeLongerThanTheTtlLeavesTheLeaseUnprovenAtOnce() {
        track(7);
        assertThat(guard.state(7)).isEqualTo(LeaseGuard.State.VALID);
        now.addAndGet(4 * S); // SIGSTOP for 4 s: CLOCK_MONOTONIC ran on
        assertThat(guard.state(7)).isEqualTo(LeaseGuard.State.UNPROVEN);
    }

    @Test
    void aReplyCountsFromWhenItsQuestionWasSentNotWhenItArrived() throws Exception {
        track(7);
        long sent = now.get();
        LeaseGuard.Probe slow = id -> {
            now.addAndGet(10 * S); // the reply sat in a buffer while the process was frozen
            return 2;
        };
        guard.track(7, Duration.ofSeconds(3), sent, slow);
        guard.probeOnce();
        // proven until sent + 2 s at most, so 10 s later it proves nothing
        assertThat(guard.state(7)).isEqualTo(LeaseGuard.State.UNPROVEN);
        assertThat(guard.awaitValid(7, Duration.ZERO)).isFalse();
    }

    @Test
    void probesKeepTheLeaseProvenAndAGoneLeaseIsLost() throws Exception {
        track(7);
        for (int i = 0; i < 10; i++) {
            now.addAndGet(S / 2);
            guard.probeOnce();
            assertThat(guard.state(7)).isEqualTo(LeaseGuard.State.VALID);
        }
        remaining.set(-1);
        guard.probeOnce();
        assertThat(guard.state(7)).isEqualTo(LeaseGuard.State.LOST);
        assertThat(guard.awaitValid(7, Duration.ofHours(1))).isFalse();
    }

    @Test
    void aNewLeaseEndsTheOldOne() {
        track(7);
        track(8);
        assertThat(guard.state(7)).isEqualTo(LeaseGuard.State.LOST);
        assertThat(guard.state(8)).isEqualTo(LeaseGuard.State.VALID);
        guard.forget(8);
        assertThat(guard.state(8)).isEqualTo(LeaseGuard.State.LOST);
        guard.close();
    }

    @Test
    void aHandoverTakesTheEarlierDeadlineUntilTheKeyHasMovedAndKeepsTheIdentity() throws Exception {
        AtomicLong probed = new AtomicLong();
        guard.track(7, Duration.ofSeconds(1800), now.get(), id -> {
            probed.set(id);
            return 1800;
        });
        long grantSent = now.get();
        guard.beginHandover(8, Duration.ofSeconds(3), grantSent);
        now.addAndGet(4 * S);
        // Until the move is known to be done either lease may hold the key: the 3 s one bounds the proof,
        // and an answer about the old 1800 s lease cannot extend past it.
        assertThat(guard.state(7)).isEqualTo(LeaseGuard.State.UNPROVEN);
        guard.probeOnce();
        assertThat(probed.get()).isEqualTo(7);
        assertThat(guard.state(7)).isEqualTo(LeaseGuard.State.UNPROVEN);
        guard.completeHandover(8, Duration.ofSeconds(3), grantSent, id -> {
            probed.set(id);
            return remaining.get();
        });
        guard.probeOnce();
        assertThat(probed.get()).as("the new lease is probed").isEqualTo(8);
        assertThat(guard.state(7)).as("same identity, proven by the new lease").isEqualTo(LeaseGuard.State.VALID);
        assertThat(guard.state(8)).isEqualTo(LeaseGuard.State.LOST);
        remaining.set(-1);
        guard.probeOnce();
        assertThat(guard.state(7)).isEqualTo(LeaseGuard.State.LOST);
    }
}
