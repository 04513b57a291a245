package io.dmjava.worker.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.shardddl.PessimismInfo;
import io.dmjava.model.shardddl.PessimismOperation;
import io.dmjava.model.task.TableName;
import io.dmjava.worker.dump.BinlogPosition;
import io.dmjava.worker.sync.ddl.DdlParser;
import io.dmjava.worker.sync.ddl.ParsedDdl;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Which DDL pessimistic shard mode holds at the lock, passes or keeps off the merged table; what a source publishes. */
class ShardGateTest {
    private static final TableName MERGED = new TableName("merged", "orders");

    /** Answers every info with the operation it was given; records what was published and marked done. */
    private static final class Scripted implements ShardDdlCoordinator {
        final List<PessimismInfo> published = new ArrayList<>();
        final List<PessimismOperation> done = new ArrayList<>();
        String conflict;
        boolean exec = true;

        @Override
        public Optional<PessimismOperation> await(PessimismInfo info, BooleanSupplier stop) {
            published.add(info);
            if (stop.getAsBoolean()) {
                return Optional.empty();
            }
            return Optional.of(new PessimismOperation(info.lockId(), info.task(), info.source(), info.ddls(), exec, false, conflict));
        }

        @Override
        public void done(PessimismOperation op, BooleanSupplier stop) {
            done.add(op);
        }

        @Override
        public void settle(Predicate<String> passed) {
        }
    }

    private static ParsedDdl ddl(String sql) {
        return DdlParser.parse("shard_01", sql);
    }

    private static ShardGate gate(String mode, Scripted c, List<TableName> shards) {
        return new ShardGate(mode, "t", "s1", c, target -> shards, new SyncProgress());
    }

    @Test
    void structureChangesWaitForTheLockOnlyInPessimisticMode() {
        ShardGate gate = gate("pessimistic", new Scripted(), List.of());
        assertThat(gate.coordinated(ddl("ALTER TABLE orders ADD COLUMN c INT"))).isTrue();
        assertThat(gate.coordinated(ddl("CREATE INDEX i ON orders (v)"))).isTrue();
        assertThat(gate.coordinated(ddl("DROP INDEX i ON orders"))).isTrue();
        assertThat(gate.coordinated(ddl("RENAME TABLE orders TO orders_old"))).as("refused at the lock").isTrue();
        assertThat(gate.coordinated(ddl("CREATE TABLE orders2 (id INT PRIMARY KEY)"))).isFalse();
        assertThat(gate.mergedTableMayExist(ddl("CREATE TABLE orders2 (id INT PRIMARY KEY)"))).isTrue();
        assertThat(gate.keepsMergedTable(ddl("DROP TABLE orders"))).isTrue();
        assertThat(gate.keepsMergedTable(ddl("TRUNCATE TABLE orders"))).isTrue();
        assertThat(gate.keepsMergedTable(ddl("ALTER TABLE orders ADD COLUMN c INT"))).isFalse();

        for (String mode : new String[] {null, ""}) {
            ShardGate off = gate(mode, new Scripted(), List.of());
            assertThat(off.coordinated(ddl("ALTER TABLE orders ADD COLUMN c INT"))).isFalse();
            assertThat(off.keepsMergedTable(ddl("DROP TABLE orders"))).isFalse();
            assertThat(off.mergedTableMayExist(ddl("CREATE TABLE orders2 (id INT)"))).isFalse();
        }
    }

    @Test
    void aSourcePublishesItsRoutedStatementsAndShowsTheLockWhileWaiting() throws Exception {
        Scripted c = new Scripted();
        SyncProgress progress = new SyncProgress();
        ShardGate gate = new ShardGate("pessimistic", "t", "s1", new ShardDdlCoordinator() {
            @Override
            public Optional<PessimismOperation> await(PessimismInfo info, BooleanSupplier stop) {
                assertThat(progress.status("remote").unresolvedDdlLockId()).isEqualTo("t-`merged`.`orders`");
                assertThat(progress.status("remote").blockingDdls()).isEqualTo(info.ddls());
                return c.await(info, stop);
            }

            @Override
            public void done(PessimismOperation op, BooleanSupplier stop) {
                c.done(op, stop);
            }

            @Override
            public void settle(Predicate<String> passed) {
            }
        }, target -> List.of(new TableName("shard_01", "orders")), progress);
        List<String> routed = List.of("ALTER TABLE `merged`.`orders` ADD COLUMN c INT");
        Optional<PessimismOperation> op = gate.await(List.of(ddl("ALTER TABLE orders ADD COLUMN c INT")), routed, MERGED,
                "mysql-bin.000002:1234", () -> false);
        assertThat(op).get().satisfies(o -> assertThat(o.exec()).isTrue());
        assertThat(c.published).singleElement().satisfies(i -> {
            assertThat(i.lockId()).isEqualTo("t-`merged`.`orders`");
            assertThat(i.ddls()).isEqualTo(routed);
            assertThat(i.binlogPos()).isEqualTo("mysql-bin.000002:1234");
            assertThat(i.source()).isEqualTo("s1");
        });
        assertThat(progress.status("remote").unresolvedDdlLockId()).as("not waiting any more").isNull();
        gate.done(op.get(), () -> false);
        assertThat(c.done).containsExactly(op.get());
    }

    @Test
    void aStopWhileWaitingReturnsNothing() throws Exception {
        Scripted c = new Scripted();
        assertThat(gate("pessimistic", c, List.of(MERGED)).await(List.of(ddl("ALTER TABLE orders ADD c INT")),
                List.of("ALTER TABLE `merged`.`orders` ADD c INT"), MERGED, "f.000001:4", () -> true)).isEmpty();
    }

    @Test
    void conflictsSeveralShardsOfOneSourceAndRenamesPauseWithTheirCodes() {
        Scripted c = new Scripted();
        c.conflict = "source s2 has [ALTER TABLE `merged`.`orders` ADD d INT]";
        assertThatThrownBy(() -> gate("pessimistic", c, List.of(MERGED)).await(List.of(ddl("ALTER TABLE orders ADD c INT")),
                List.of("x"), MERGED, "f.000001:4", () -> false))
                .isInstanceOfSatisfying(DmException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.SHARD_DDL_CONFLICT);
                    assertThat(e.getMessage()).contains("at binlog_pos f.000001:4", "ADD d INT");
                });
        List<TableName> two = List.of(new TableName("shard_01", "orders"), new TableName("shard_01", "orders_b"));
        assertThatThrownBy(() -> gate("pessimistic", new Scripted(), two).await(List.of(ddl("ALTER TABLE orders ADD c INT")),
                List.of("x"), MERGED, "f.000001:4", () -> false))
                .isInstanceOfSatisfying(DmException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.SHARD_DDL_MULTIPLE_TABLES);
                    assertThat(e.getMessage()).contains("merges 2 tables", "shard_01.orders_b");
                });
        assertThatThrownBy(() -> gate("pessimistic", new Scripted(), List.of(MERGED)).await(
                List.of(ddl("RENAME TABLE orders TO orders_old")), List.of("x"), MERGED, "f.000001:4", () -> false))
                .isInstanceOfSatisfying(DmException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SHARD_DDL_UNSUPPORTED));
    }

    @Test
    void aCheckpointIsPastADdlWhenItLiesAfterTheEventStart() {
        BinlogPosition cp = new BinlogPosition("mysql-bin.000002", 1300, "");
        assertThat(SyncUnit.passed(cp, "mysql-bin.000002:1234")).isTrue();
        assertThat(SyncUnit.passed(cp, "mysql-bin.000002:1300")).isFalse();
        assertThat(SyncUnit.passed(cp, "mysql-bin.000003:4")).isFalse();
        assertThat(SyncUnit.passed(cp, "mysql-bin.000001:9999")).isTrue();
        assertThat(SyncUnit.passed(cp, "garbage")).isFalse();
    }
}
