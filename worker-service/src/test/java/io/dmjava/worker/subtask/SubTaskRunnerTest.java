package io.dmjava.worker.subtask;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.model.cluster.Stage;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.worker.fullmigration.Fixtures;
import io.dmjava.worker.unit.PipelinedUnit;
import io.dmjava.worker.unit.Unit;
import io.dmjava.worker.unit.UnitContext;
import io.dmjava.worker.unit.UnitException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** A unit following the previous one runs alongside it; errors and the unit shown follow the rules. */
class SubTaskRunnerTest {
    /** A producer that runs until released, then returns or fails. */
    static final class Producer implements Unit {
        final CountDownLatch release = new CountDownLatch(1);
        final boolean fail;
        volatile boolean finished;

        Producer(boolean fail) {
            this.fail = fail;
        }

        @Override
        public String type() {
            return "dump";
        }

        @Override
        public void run(UnitContext ctx) throws InterruptedException {
            release.await();
            if (fail) {
                throw new UnitException(ErrorCode.INTERNAL, "the dump broke");
            }
            finished = true;
        }

        @Override
        public Object status() {
            return "dump-status";
        }
    }

    /** A follower that starts with the producer and ends when it has finished (or when stopped, or fails). */
    static final class Follower implements PipelinedUnit {
        final Producer producer;
        final boolean fail;
        final CountDownLatch started = new CountDownLatch(1);
        final AtomicBoolean sawStop = new AtomicBoolean();

        Follower(Producer producer, boolean fail) {
            this.producer = producer;
            this.fail = fail;
        }

        @Override
        public boolean followsPrevious() {
            return true;
        }

        @Override
        public String type() {
            return "load";
        }

        @Override
        public void run(UnitContext ctx) throws InterruptedException {
            started.countDown();
            if (fail) {
                throw new UnitException(ErrorCode.INTERNAL, "the load broke");
            }
            while (!producer.finished) {
                if (ctx.stopRequested().getAsBoolean()) {
                    sawStop.set(true);
                    return;
                }
                Thread.sleep(5);
            }
        }

        @Override
        public Object status() {
            return "load-status";
        }
    }

    /** Types of the units whose errors paused the runner, as its metrics hear them. */
    private final List<String> failedUnits = new java.util.concurrent.CopyOnWriteArrayList<>();

    private SubTaskRunner runner(Producer p, Follower f) {
        UnitContext ctx = Fixtures.ctx(Fixtures.task("t", "replace", 1, 1, "auto"), Fixtures.db("127.0.0.1", 1),
                Fixtures.db("127.0.0.1", 2), Fixtures.schemas("x"), Path.of("unused"), () -> false);
        List<Function<UnitContext, Unit>> chain = List.of(c -> p, c -> f);
        return new SubTaskRunner("w", ctx, chain, (unit, resumable) -> failedUnits.add(unit));
    }

    @Test
    void theFollowerRunsAlongsideAndTheUnitShownMovesOnWhenTheProducerIsDone() throws Exception {
        Producer p = new Producer(false);
        Follower f = new Follower(p, false);
        SubTaskRunner r = runner(p, f);
        r.start();
        assertThat(f.started.await(5, TimeUnit.SECONDS)).as("the follower started with the producer").isTrue();
        assertThat(r.status().unit()).isEqualTo("dump");
        assertThat(r.status().dumpStatus()).isEqualTo("dump-status");
        assertThat(r.status().loadStatus()).isEqualTo("load-status");
        p.release.countDown();
        await(() -> !r.isActive());
        assertThat(r.stage()).isEqualTo(Stage.Finished);
        assertThat(r.status().unit()).isEqualTo("load");
        assertThat(failedUnits).isEmpty();
    }

    @Test
    void aFailingProducerStopsTheFollowerAndPausesWithItsError() throws Exception {
        Producer p = new Producer(true);
        Follower f = new Follower(p, false);
        SubTaskRunner r = runner(p, f);
        r.start();
        assertThat(f.started.await(5, TimeUnit.SECONDS)).isTrue();
        p.release.countDown();
        await(() -> !r.isActive());
        assertThat(f.sawStop).as("the follower was asked to stop").isTrue();
        assertThat(r.stage()).isEqualTo(Stage.Paused);
        assertThat(r.status().errorMsg()).contains("the dump broke");
        assertThat(failedUnits).containsExactly("dump");
        r.stop(Stage.Stopped);
        assertThat(r.stage()).as("a paused subtask that is stopped").isEqualTo(Stage.Stopped);
    }

    @Test
    void aFailingFollowerShowsAtOnceLetsTheProducerFinishThenPauses() throws Exception {
        Producer p = new Producer(false);
        Follower f = new Follower(p, true);
        SubTaskRunner r = runner(p, f);
        r.start();
        await(() -> r.status().errorMsg() != null);
        assertThat(r.status().errorMsg()).contains("the load broke");
        assertThat(r.stage()).isEqualTo(Stage.Running);
        p.release.countDown();
        await(() -> !r.isActive());
        assertThat(p.finished).as("the producer completed").isTrue();
        assertThat(r.stage()).isEqualTo(Stage.Paused);
        assertThat(r.status().errorMsg()).contains("the load broke");
        assertThat(failedUnits).containsExactly("load");
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
