package io.dmjava.master.shardddl;

import io.dmjava.master.shardddl.PessimismPlan.Delete;
import io.dmjava.master.shardddl.PessimismPlan.Kind;
import io.dmjava.master.shardddl.PessimismPlan.LockState;
import io.dmjava.master.shardddl.PessimismPlan.OpWrite;
import io.dmjava.master.shardddl.PessimismPlan.Removal;
import io.dmjava.master.shardddl.PessimismPlan.Status;
import io.dmjava.model.shardddl.PessimismOperation;
import io.dmjava.store.PessimismInfoStore;
import io.dmjava.store.PessimismOperationStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The pessimist's decisions, from etcd's state alone (no memory between rounds, so a new leader continues any lock
 * where the last one left it). Per task, each expected source (one with a subtask of the task) stands somewhere:
 * <ul>
 *   <li><b>done</b> with a lock: its operation is marked done. Its info belongs to that lock if written before the
 *       operation was last written; a later one is its next DDL, which joins a lock only once this one is removed.</li>
 *   <li><b>waiting</b> at its info's lock.</li>
 * </ul>
 * A lock's statements and owner come from an operation already given (the owner's exec, or any done one), otherwise
 * from the info that arrived first (lowest create revision). The owner gets exec once every expected source waits
 * with the same statements; the others get skip once the owner is done; a source with other statements gets a
 * conflict; when every expected source is done the lock's infos and operations go in one transaction.
 * Infos and operations of sources no longer in their task are removed (an operation that proves the lock's DDL ran
 * stays until the lock is removed).
 */
public final class PessimismPlanner {

    /** Plans one round over every task's infos and operations; {@code sourcesByTask} holds the expected sources. */
    public PessimismPlan plan(List<PessimismInfoStore.Entry> infos, List<PessimismOperationStore.Entry> ops,
                              Map<String, Set<String>> sourcesByTask) {
        Map<String, Map<String, PessimismInfoStore.Entry>> infosByTask = new TreeMap<>();
        infos.forEach(e -> infosByTask.computeIfAbsent(e.info().task(), t -> new TreeMap<>()).put(e.info().source(), e));
        Map<String, Map<String, PessimismOperationStore.Entry>> opsByTask = new TreeMap<>();
        ops.forEach(e -> opsByTask.computeIfAbsent(e.op().task(), t -> new TreeMap<>()).put(e.op().source(), e));
        Set<String> tasks = new TreeSet<>(infosByTask.keySet());
        tasks.addAll(opsByTask.keySet());
        PessimismPlan out = new PessimismPlan(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (String task : tasks) {
            new TaskRound(task, sourcesByTask.getOrDefault(task, Set.of()), infosByTask.getOrDefault(task, Map.of()),
                    opsByTask.getOrDefault(task, Map.of()), out).run();
        }
        return out;
    }

    /** One task's round: its sources' positions, then each lock's decisions. */
    private static final class TaskRound {
        private final String task;
        private final Set<String> expected;
        private final Map<String, PessimismInfoStore.Entry> infos;
        private final Map<String, PessimismOperationStore.Entry> ops;
        private final PessimismPlan out;
        /** Lock id -> sources waiting at it (their info is current). */
        private final Map<String, List<String>> waiting = new TreeMap<>();
        /** Lock id -> sources whose operation for it is done. */
        private final Map<String, List<String>> done = new TreeMap<>();
        /** Lock id -> operations of sources no longer in the task, kept while the lock lasts. */
        private final Map<String, List<PessimismOperationStore.Entry>> orphanOps = new TreeMap<>();

        TaskRound(String task, Set<String> expected, Map<String, PessimismInfoStore.Entry> infos,
                  Map<String, PessimismOperationStore.Entry> ops, PessimismPlan out) {
            this.task = task;
            this.expected = new TreeSet<>(expected);
            this.infos = infos;
            this.ops = ops;
            this.out = out;
        }

        void run() {
            for (String s : expected) {
                PessimismOperationStore.Entry op = ops.get(s);
                PessimismInfoStore.Entry info = infos.get(s);
                if (op != null && op.op().done()) {
                    done.computeIfAbsent(op.op().lockId(), l -> new ArrayList<>()).add(s);
                } else if (info != null) {
                    waiting.computeIfAbsent(info.info().lockId(), l -> new ArrayList<>()).add(s);
                } else if (op != null) {
                    out.writes().add(new OpWrite(task, s, null, op.raw(), null, "its source waits at no DDL"));
                }
            }
            Set<String> active = new TreeSet<>(waiting.keySet());
            active.addAll(done.keySet());
            removeOrphans(active);
            active.forEach(this::planLock);
        }

        private void removeOrphans(Set<String> activeLocks) {
            infos.forEach((s, e) -> {
                if (!expected.contains(s)) {
                    out.removals().add(new Removal(List.of(new Delete(Kind.INFO, task, s, e.raw())),
                            "source '" + s + "' is no longer in task '" + task + "'"));
                }
            });
            ops.forEach((s, e) -> {
                if (expected.contains(s)) {
                    return;
                }
                if (activeLocks.contains(e.op().lockId())) {
                    orphanOps.computeIfAbsent(e.op().lockId(), l -> new ArrayList<>()).add(e);
                } else {
                    out.removals().add(new Removal(List.of(new Delete(Kind.OPERATION, task, s, e.raw())),
                            "source '" + s + "' is no longer in task '" + task + "'"));
                }
            });
        }

        private void planLock(String lockId) {
            List<String> waiters = waiting.getOrDefault(lockId, List.of());
            List<String> doneSources = done.getOrDefault(lockId, List.of());
            List<PessimismOperation> given = givenOperations(lockId, waiters, doneSources);
            PessimismOperation first = given.stream().filter(PessimismOperation::exec).findFirst()
                    .orElse(given.isEmpty() ? null : given.get(0));
            String owner;
            List<String> ddls;
            if (first != null && first.exec()) {
                owner = first.source();
                ddls = first.ddls();
            } else {
                // Only skips given: the owner ran the DDL and has left the task; everyone else skips it.
                // Nothing given yet: the first arrival owns the lock.
                String earliest = waiters.stream()
                        .min(Comparator.comparingLong((String s) -> infos.get(s).createRevision()).thenComparing(s -> s))
                        .orElse(null);
                owner = first != null ? null : earliest;
                ddls = first != null ? first.ddls()
                        : earliest != null ? infos.get(earliest).info().ddls() : ops.get(doneSources.get(0)).op().ddls();
            }
            // The DDL ran once the owner is done, or once anyone was told to skip it.
            boolean executed = given.stream().anyMatch(o -> o.ddls().equals(ddls) && (o.done() || !o.exec()));
            Set<String> arrived = new TreeSet<>();
            Set<String> conflicting = new TreeSet<>();
            doneSources.stream().filter(s -> ops.get(s).op().ddls().equals(ddls)).forEach(arrived::add);
            for (String s : waiters) {
                (infos.get(s).info().ddls().equals(ddls) ? arrived : conflicting).add(s);
            }
            Set<String> missing = new TreeSet<>(expected);
            missing.removeAll(arrived);
            boolean synced = missing.isEmpty();
            if (synced && doneSources.size() == expected.size()) {
                out.removals().add(cleanup(lockId, doneSources));
                return;
            }
            for (String s : waiters) {
                answer(s, lockId, owner, ddls, synced, executed);
            }
            missing.removeAll(conflicting);
            out.locks().add(new LockState(task, lockId, owner, ddls, synced ? Status.SYNCED : Status.UNSYNCED,
                    missing, conflicting));
        }

        /**
         * The operations already given for the lock: the done ones (of sources still in the task or not), and those
         * still answering a waiting source's info. Conflicts are not answers.
         */
        private List<PessimismOperation> givenOperations(String lockId, List<String> waiters, List<String> doneSources) {
            List<PessimismOperation> out = new ArrayList<>();
            doneSources.forEach(s -> out.add(ops.get(s).op()));
            orphanOps.getOrDefault(lockId, List.of()).stream().filter(e -> e.op().done()).forEach(e -> out.add(e.op()));
            for (String s : waiters) {
                PessimismOperationStore.Entry op = ops.get(s);
                if (op != null && op.op().answers(infos.get(s).info())) {
                    out.add(op.op());
                }
            }
            out.removeIf(o -> o.conflict() != null);
            return out;
        }

        private void answer(String s, String lockId, String owner, List<String> ddls, boolean synced, boolean executed) {
            PessimismInfoStore.Entry info = infos.get(s);
            PessimismOperationStore.Entry current = ops.get(s);
            PessimismOperation want;
            String why;
            if (!info.info().ddls().equals(ddls)) {
                want = new PessimismOperation(lockId, task, s, info.info().ddls(), false, false,
                        conflictMessage(s, info.info().ddls(), lockId, owner, ddls));
                why = "conflict";
            } else if (s.equals(owner)) {
                boolean alreadyGiven = current != null && current.op().exec() && current.op().answers(info.info());
                want = synced || alreadyGiven ? new PessimismOperation(lockId, task, s, ddls, true, false, null) : null;
                why = "every source of the lock arrived: the owner runs the DDL";
            } else {
                want = executed ? new PessimismOperation(lockId, task, s, ddls, false, false, null) : null;
                why = "the owner ran the DDL: the other sources skip it";
            }
            if (want == null) {
                if (current != null) {
                    out.writes().add(new OpWrite(task, s, null, current.raw(), info.raw(), "its info changed"));
                }
            } else if (current == null || !current.op().equals(want)) {
                out.writes().add(new OpWrite(task, s, want, current == null ? null : current.raw(), info.raw(), why));
            }
        }

        /** Every expected source is done: its operation goes, and its info unless that is already its next DDL. */
        private Removal cleanup(String lockId, List<String> doneSources) {
            List<Delete> deletes = new ArrayList<>();
            for (String s : doneSources) {
                PessimismOperationStore.Entry op = ops.get(s);
                deletes.add(new Delete(Kind.OPERATION, task, s, op.raw()));
                PessimismInfoStore.Entry info = infos.get(s);
                if (info != null && info.modRevision() < op.modRevision() && info.info().lockId().equals(lockId)) {
                    deletes.add(new Delete(Kind.INFO, task, s, info.raw()));
                }
            }
            orphanOps.getOrDefault(lockId, List.of()).forEach(e -> deletes.add(new Delete(Kind.OPERATION, task, e.op().source(), e.raw())));
            return new Removal(deletes, "every source of lock " + lockId + " is done");
        }

        private String conflictMessage(String source, List<String> theirs, String lockId, String owner, List<String> ddls) {
            return "source '" + source + "' of task '" + task + "' waits at DDL " + theirs + ", but shard DDL lock "
                    + lockId + (owner == null ? "" : " (owner '" + owner + "')") + " is at " + ddls
                    + ": in pessimistic shard mode every source must run the same statements. Replace the statements"
                    + " on source '" + source + "' (binlog replace) and resume the task";
        }
    }
}
