package io.dmjava.master.shardddl;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.master.shardddl.PessimismPlan.Delete;
import io.dmjava.master.shardddl.PessimismPlan.Kind;
import io.dmjava.master.shardddl.PessimismPlan.OpWrite;
import io.dmjava.master.shardddl.PessimismPlan.Status;
import io.dmjava.model.etcd.JsonCodec;
import io.dmjava.model.shardddl.PessimismInfo;
import io.dmjava.model.shardddl.PessimismOperation;
import io.dmjava.model.task.TableName;
import io.dmjava.store.PessimismInfoStore;
import io.dmjava.store.PessimismOperationStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pessimist's decisions on hand-made etcd states: no etcd, revisions given explicitly. */
class PessimismPlannerTest {
    private static final TableName TARGET = new TableName("db", "tbl");
    private static final List<String> DDL = List.of("ALTER TABLE `db`.`tbl` ADD COLUMN c INT");
    private static final List<String> OTHER = List.of("ALTER TABLE `db`.`tbl` ADD COLUMN d INT");
    private static final String LOCK = "t-`db`.`tbl`";

    private final JsonCodec codec = new JsonCodec();
    private final PessimismPlanner planner = new PessimismPlanner();
    private final List<PessimismInfoStore.Entry> infos = new ArrayList<>();
    private final List<PessimismOperationStore.Entry> ops = new ArrayList<>();
    private Map<String, Set<String>> sources = Map.of("t", Set.of("s1", "s2", "s3"));

    private void info(String source, List<String> ddls, long createRev, long modRev) {
        PessimismInfo i = new PessimismInfo("t", source, TARGET, ddls, "mysql-bin.000001:" + modRev);
        infos.add(new PessimismInfoStore.Entry(i, codec.encode(i), createRev, modRev));
    }

    private void op(String source, List<String> ddls, boolean exec, boolean done, long modRev) {
        PessimismOperation o = new PessimismOperation(LOCK, "t", source, ddls, exec, done, null);
        ops.add(new PessimismOperationStore.Entry(o, codec.encode(o), modRev));
    }

    private PessimismPlan plan() {
        return planner.plan(infos, ops, sources);
    }

    @Test
    void noOperationUntilEverySourceArrived() {
        info("s2", DDL, 10, 10);
        info("s1", DDL, 11, 11);
        PessimismPlan p = plan();
        assertThat(p.writes()).isEmpty();
        assertThat(p.removals()).isEmpty();
        assertThat(p.locks()).singleElement().satisfies(l -> {
            assertThat(l.status()).isEqualTo(Status.UNSYNCED);
            assertThat(l.owner()).isEqualTo("s2");
            assertThat(l.waitingFor()).containsExactly("s3");
        });
    }

    @Test
    void theFirstArrivalRunsTheDdlOnceAllArrived() {
        info("s2", DDL, 12, 12);
        info("s3", DDL, 10, 10);
        info("s1", DDL, 11, 11);
        PessimismPlan p = plan();
        assertThat(p.writes()).singleElement().satisfies(w -> {
            assertThat(w.source()).isEqualTo("s3");
            assertThat(w.put()).isEqualTo(new PessimismOperation(LOCK, "t", "s3", DDL, true, false, null));
            assertThat(w.expectedOp()).isNull();
            assertThat(w.expectedInfo()).isNotNull();
        });
        assertThat(p.locks()).singleElement().extracting(PessimismPlan.LockState::status).isEqualTo(Status.SYNCED);
    }

    @Test
    void anExecAlreadyGivenIsNotGivenAgain() {
        info("s1", DDL, 10, 10);
        info("s2", DDL, 11, 11);
        info("s3", DDL, 12, 12);
        op("s1", DDL, true, false, 13);
        assertThat(plan().writes()).isEmpty();
    }

    @Test
    void theOthersSkipOnceTheOwnerIsDone() {
        info("s1", DDL, 10, 10);
        info("s2", DDL, 11, 11);
        info("s3", DDL, 12, 12);
        op("s1", DDL, true, true, 14);
        PessimismPlan p = plan();
        assertThat(p.writes()).extracting(OpWrite::source).containsExactly("s2", "s3");
        assertThat(p.writes()).allSatisfy(w -> assertThat(w.put().exec()).isFalse());
        assertThat(p.removals()).isEmpty();
    }

    @Test
    void aFinishedLockIsRemovedSparingAnInfoPutAfterItsOperationWasDone() {
        info("s1", OTHER, 10, 20);     // s1's next DDL, put after its operation was done (rev 14)
        info("s2", DDL, 11, 11);
        info("s3", DDL, 12, 12);
        op("s1", DDL, true, true, 14);
        op("s2", DDL, false, true, 17);
        op("s3", DDL, false, true, 18);
        PessimismPlan p = plan();
        assertThat(p.writes()).isEmpty();
        assertThat(p.locks()).isEmpty();
        assertThat(p.removals()).singleElement().satisfies(r -> assertThat(r.deletes())
                .extracting(d -> d.kind() + " " + d.source())
                .containsExactlyInAnyOrder("OPERATION s1", "OPERATION s2", "INFO s2", "OPERATION s3", "INFO s3"));
    }

    @Test
    void aSourceWithOtherStatementsGetsAConflictUntilItsInfoMatches() {
        info("s1", DDL, 10, 10);
        info("s2", OTHER, 11, 11);
        PessimismPlan p = plan();
        assertThat(p.writes()).singleElement().satisfies(w -> {
            assertThat(w.source()).isEqualTo("s2");
            assertThat(w.put().ddls()).as("it answers s2's info, so its worker finds it").isEqualTo(OTHER);
            assertThat(w.put().conflict()).contains("s2", "s1", "ADD COLUMN d", "ADD COLUMN c");
        });
        assertThat(p.locks()).singleElement().satisfies(l -> {
            assertThat(l.conflicting()).containsExactly("s2");
            assertThat(l.waitingFor()).containsExactly("s3");
        });

        // The user replaced the statements and resumed: the info matches; the conflict goes.
        PessimismOperation conflict = p.writes().get(0).put();
        infos.remove(1);
        info("s2", DDL, 11, 13);
        ops.add(new PessimismOperationStore.Entry(conflict, codec.encode(conflict), 12));
        assertThat(plan().writes()).singleElement().satisfies(w -> {
            assertThat(w.source()).isEqualTo("s2");
            assertThat(w.put()).isNull();
        });
    }

    @Test
    void aSourceLeavingTheTaskUnblocksTheLockAndItsKeysGo() {
        info("s1", DDL, 10, 10);
        info("s2", DDL, 11, 11);
        info("s3", OTHER, 9, 9);
        sources = Map.of("t", Set.of("s1", "s2"));
        PessimismPlan p = plan();
        assertThat(p.writes()).singleElement().satisfies(w -> assertThat(w.source() + w.put().exec()).isEqualTo("s1true"));
        assertThat(p.removals()).singleElement().satisfies(r -> assertThat(r.deletes())
                .extracting(Delete::kind, Delete::source).containsExactly(org.assertj.core.groups.Tuple.tuple(Kind.INFO, "s3")));
    }

    @Test
    void anExecutedDdlIsNotRunAgainWhenItsOwnerLeftTheTask() {
        info("s2", DDL, 11, 11);
        info("s3", DDL, 12, 12);
        op("s1", DDL, true, true, 14);   // s1 ran it, then left the task
        sources = Map.of("t", Set.of("s2", "s3"));
        PessimismPlan p = plan();
        assertThat(p.writes()).extracting(w -> w.source() + ":" + w.put().exec()).containsExactly("s2:false", "s3:false");
        assertThat(p.removals()).as("its operation proves the DDL ran; it goes with the lock").isEmpty();
    }

    @Test
    void aSkipAlreadyGivenStandsWhenTheOwnersDoneOperationIsGone() {
        info("s2", DDL, 11, 11);
        info("s3", DDL, 12, 12);
        op("s2", DDL, false, false, 15);   // told to skip: the DDL ran
        sources = Map.of("t", Set.of("s2", "s3"));
        PessimismPlan p = plan();
        assertThat(p.writes()).extracting(w -> w.source() + ":" + w.put().exec()).containsExactly("s3:false");
        assertThat(p.locks()).singleElement().satisfies(l -> assertThat(l.owner()).isNull());
    }

    @Test
    void aDeletedTasksKeysGo() {
        info("s1", DDL, 10, 10);
        op("s1", DDL, true, false, 11);
        sources = Map.of();
        assertThat(plan().removals()).hasSize(2);
    }
}
